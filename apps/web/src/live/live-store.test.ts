import { describe, expect, it } from 'vitest';
import { LiveStore } from './live-store.js';

const ID = 'north.plc1.pumps.p1_run';

describe('LiveStore', () => {
  it('takes the snapshot, then newer live samples, and never rolls a value back', () => {
    const store = new LiveStore({ now: () => 0 });
    let notified = 0;
    store.subscribe(() => notified++);
    store.seed([
      {
        id: ID,
        site: 'north',
        node: 'plc1',
        group: 'pumps',
        tag: 'p1_run',
        latest: { ts: 10, value: true, quality: 'good' },
      },
    ]);
    store.apply([{ point: ID, ts: 20, value: false, quality: 'bad', reason: 'WS_ERR_TIMEOUT' }]);
    expect(store.latest(ID)).toEqual({ ts: 20, value: false, quality: 'bad', reason: 'WS_ERR_TIMEOUT' });
    store.apply([{ point: ID, ts: 15, value: true, quality: 'good' }]);
    store.seed([
      {
        id: ID,
        site: 'north',
        node: 'plc1',
        group: 'pumps',
        tag: 'p1_run',
        latest: { ts: 12, value: true, quality: 'good' },
      },
    ]);
    expect(store.latest(ID)?.ts).toBe(20);
    expect(notified).toBe(2);
  });

  it('hands out the same object until the sample changes (for useSyncExternalStore)', () => {
    const store = new LiveStore({ now: () => 0 });
    store.apply([{ point: ID, ts: 1, value: 3, quality: 'good' }]);
    const a = store.latest(ID);
    store.apply([{ point: ID, ts: 1, value: 3, quality: 'good' }]);
    expect(store.latest(ID)).toBe(a);
  });

  it('reports the share of good samples in the last minute per set of points', () => {
    let now = 0;
    const store = new LiveStore({ now: () => now, windowMs: 60_000 });
    store.apply([
      { point: 'a', ts: 1, value: 1, quality: 'good' },
      { point: 'b', ts: 1, value: null, quality: 'bad' },
    ]);
    now = 30_000;
    store.apply([{ point: 'a', ts: 2, value: 1, quality: 'uncertain' }]);
    expect(store.completeness(['a', 'b', 'c'])).toEqual({ good: 1, total: 3, silent: 1 });
    now = 70_000;
    expect(store.completeness(['a', 'b', 'c'])).toEqual({ good: 0, total: 1, silent: 2 });
  });
});
