import { describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import { LoginThrottle } from './throttle.js';

describe('LoginThrottle', () => {
  it('locks a name+address pair after 5 failures for 15 minutes, then lets it try again', async () => {
    const clock = new FakeClock(0);
    const t = new LoginThrottle({ clock });
    for (let i = 0; i < 4; i++) expect(t.fail('alice', '10.0.0.1')).toBe(false);
    expect(t.lockedFor('alice', '10.0.0.1')).toBe(0);
    expect(t.fail('alice', '10.0.0.1')).toBe(true);
    expect(t.lockedFor('alice', '10.0.0.1')).toBe(15 * 60_000);
    // Another address, or another name, is not affected.
    expect(t.lockedFor('alice', '10.0.0.2')).toBe(0);
    expect(t.lockedFor('bob', '10.0.0.1')).toBe(0);
    await clock.advance(15 * 60_000);
    expect(t.lockedFor('alice', '10.0.0.1')).toBe(0);
    expect(t.fail('alice', '10.0.0.1')).toBe(false); // counting starts afresh
  });

  it('forgets failures older than the window and after a success', async () => {
    const clock = new FakeClock(0);
    const t = new LoginThrottle({ clock, maxFailures: 3, lockMs: 1000 });
    t.fail('Alice', 'a');
    t.fail('alice', 'a');
    await clock.advance(1000);
    expect(t.fail('alice', 'a')).toBe(false);
    t.fail('alice', 'a');
    t.succeed('alice', 'a');
    expect(t.fail('alice', 'a')).toBe(false);
  });

  it('remembers a bounded number of pairs', () => {
    const t = new LoginThrottle({ clock: new FakeClock(0), maxFailures: 1, maxEntries: 2 });
    t.fail('a', 'x');
    t.fail('b', 'x');
    t.fail('c', 'x');
    expect(t.lockedFor('a', 'x')).toBe(0);
    expect(t.lockedFor('c', 'x')).toBeGreaterThan(0);
  });
});
