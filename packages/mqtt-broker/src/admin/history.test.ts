import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { startHarness } from '../test-harness.js';
import { BrokerAdmin } from './broker-admin.js';
import { RateHistory } from './history.js';

const at = (clients: number, messagesIn: number, messagesOut = 0, dropped = 0) => ({
  clients,
  messagesIn,
  messagesOut,
  dropped,
});

describe('rate history', () => {
  it('turns cumulative counters into per-second rates, scaled to the time elapsed', () => {
    const h = new RateHistory(10);
    h.record(0, at(0, 0));
    expect(h.samples()).toEqual([]);
    h.record(1000, at(3, 500, 1000, 2));
    h.record(3000, at(4, 1500, 1000, 2)); // a late tick: 1000 messages over 2 s
    expect(h.samples()).toEqual([
      { ts: 1000, clients: 3, messagesIn: 500, messagesOut: 1000, dropped: 2 },
      { ts: 3000, clients: 4, messagesIn: 500, messagesOut: 0, dropped: 0 },
    ]);
    expect(h.samples(1000).map((s) => s.ts)).toEqual([3000]);
    expect(h.latest()?.ts).toBe(3000);
  });

  it('keeps only the newest `capacity` samples, oldest first', () => {
    const h = new RateHistory(3);
    for (let s = 0; s <= 5; s++) h.record(s * 1000, at(s, s * 10));
    expect(h.samples().map((s) => [s.ts, s.clients, s.messagesIn])).toEqual([
      [3000, 3, 10],
      [4000, 4, 10],
      [5000, 5, 10],
    ]);
  });

  it('samples the broker once a second on its clock', async () => {
    const clock = new FakeClock();
    const h = await startHarness({ clock });
    const admin = new BrokerAdmin(h.broker, { historySeconds: 60 });
    try {
      await h.connect({ clientId: 'a' });
      for (let i = 0; i < 25; i++) h.broker.publish({ topic: 'water/x', payload: String(i) });
      await clock.advance(1000);
      await clock.advance(1000);
      const { current, history } = admin.stats();
      expect(history.map((s) => [s.clients, s.messagesIn])).toEqual([
        [1, 25],
        [1, 0],
      ]);
      expect(current).toMatchObject({ clients: 1, messagesIn: 25, rate: history[1] });
      expect(admin.stats(history[0]!.ts).history).toHaveLength(1);
    } finally {
      admin.close();
      await h.close();
    }
  });
});
