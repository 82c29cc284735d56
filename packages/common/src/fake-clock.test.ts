import { describe, expect, it } from 'vitest';
import { sleep } from './clock.js';
import { FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('fires timers in time order and intervals repeatedly', async () => {
    const c = new FakeClock(0);
    const seen: string[] = [];
    c.setTimeout(() => seen.push(`b@${c.now()}`), 20);
    c.setTimeout(() => seen.push(`a@${c.now()}`), 10);
    const h = c.setInterval(() => seen.push(`i@${c.now()}`), 15);
    await c.advance(31);
    c.clearInterval(h);
    await c.advance(100);
    expect(seen).toEqual(['a@10', 'i@15', 'b@20', 'i@30']);
    expect(c.now()).toBe(131);
  });

  it('drives sleep and aborts it', async () => {
    const c = new FakeClock(0);
    let done = false;
    const p = sleep(c, 50).then(() => (done = true));
    await c.advance(49);
    expect(done).toBe(false);
    await c.advance(1);
    await p;
    expect(done).toBe(true);
    const ac = new AbortController();
    const q = sleep(c, 50, ac.signal);
    ac.abort(new Error('stop'));
    await expect(q).rejects.toThrow('stop');
    expect(c.pending).toBe(0);
  });
});
