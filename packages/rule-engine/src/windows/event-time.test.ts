import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { createRuleEngine, type EventTimeOptions } from '../index.js';
import { FakeMessageSource } from '../testing.js';

const T0 = 1_700_000_040_000; // a whole minute

function setup(sql: string, eventTime: EventTimeOptions) {
  const clock = new FakeClock(T0 + 3_600_000); // arrival time is far from event time
  const source = new FakeMessageSource(() => clock.now());
  const engine = createRuleEngine({ source, clock });
  engine.addRule({ id: 'w', sql, eventTime, actions: [{ type: 'republish', topic: 'out' }] });
  const rows = () => source.published.map((m) => JSON.parse(m.payload) as Record<string, unknown>);
  const uplink = (ts: number | string, flow: number) =>
    source.inject({ topic: 'ws/v1/s1/n1/g1/data', payload: { v: 1, ts, values: { flow } } });
  return { clock, engine, rows, uplink };
}

describe('event-time windows', () => {
  const SQL = `SELECT avg(payload.values.flow) AS mean, count(*) AS n, window_start() AS ws
               FROM "ws/#" GROUP BY TUMBLINGWINDOW(ss, 60)`;

  it('places replayed uplinks by payload.ts and closes windows on the watermark', async () => {
    const { clock, engine, rows, uplink } = setup(SQL, { field: 'payload.ts', lateToleranceMs: 5_000 });
    uplink(T0 + 1_000, 10);
    uplink(T0 + 50_000, 20);
    uplink(T0 + 62_000, 99); // next window; watermark T0+57 s: first still open
    expect(rows()).toEqual([]);
    uplink(T0 + 58_000, 30); // out of order, within tolerance
    uplink(new Date(T0 + 65_000).toISOString(), 1); // watermark T0+60 s closes the first window
    expect(rows()).toEqual([{ mean: 20, n: 3, ws: T0 }]);
    uplink(T0 + 30_000, 1000); // its window has closed: late
    const m = engine.metrics('w');
    expect(m).toMatchObject({ matched: 6, passed: 5, failed: 1, late: 1, failedBy: { late: 1 } });
    expect(m.lastError?.reason).toMatch(/late/);
    await clock.advance(600_000); // processing time does not close event-time windows
    expect(rows()).toHaveLength(1);
    expect(clock.pending).toBe(0);
    await engine.close();
  });

  it('fails a message without a usable timestamp', async () => {
    const { engine, uplink } = setup(SQL, { field: 'payload.ts' });
    uplink('yesterday-ish', 1);
    expect(engine.metrics('w')).toMatchObject({ failed: 1, late: 0, failedBy: { event_time: 1, late: 0 } });
    await engine.close();
  });

  it('is refused for windows other than tumbling and hopping', () => {
    const { engine } = setup(SQL, { field: 'timestamp' });
    expect(() =>
      engine.addRule({
        id: 's',
        sql: `SELECT count(*) FROM "t/#" GROUP BY SESSIONWINDOW(ss, 60, 5)`,
        eventTime: { field: 'timestamp' },
      }),
    ).toThrow(expect.objectContaining({ code: 'WS_ERR_RULE_EVENT_TIME' }));
  });
});
