import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { createRuleEngine } from '../index.js';
import { FakeMessageSource } from '../testing.js';

// Windows align to the epoch; start the clock on a whole minute so bounds read simply.
const T0 = 1_700_000_040_000;

function setup(sql: string) {
  const clock = new FakeClock(T0);
  const source = new FakeMessageSource(() => clock.now());
  const engine = createRuleEngine({ source, clock });
  engine.addRule({ id: 'w', sql, actions: [{ type: 'republish', topic: 'out' }] });
  const rows = () => source.published.map((m) => JSON.parse(m.payload) as Record<string, unknown>);
  const flow = (node: string, value: number) =>
    source.inject({ topic: `ws/v1/s1/${node}/g1/data`, payload: { v: 1, values: { flow: value } } });
  return { clock, source, engine, rows, flow };
}

describe('window runtime (processing time, FakeClock)', () => {
  it('60 s tumbling average of payload.values.flow grouped by topic', async () => {
    const { clock, engine, rows, flow } = setup(
      `SELECT topic, avg(payload.values.flow) AS mean, count(*) AS n, window_start() AS ws, window_end() AS we
       FROM "ws/v1/+/+/+/data" GROUP BY topic, TUMBLINGWINDOW(ss, 60)`,
    );
    flow('a', 10);
    await clock.advance(10_000);
    flow('b', 100);
    flow('a', 20);
    await clock.advance(49_999);
    expect(rows()).toEqual([]);
    expect(engine.getRule('w')?.openGroups).toBe(2);
    await clock.advance(1); // T0 + 60 s closes the first window
    expect(rows()).toEqual([
      { topic: 'ws/v1/s1/a/g1/data', mean: 15, n: 2, ws: T0, we: T0 + 60_000 },
      { topic: 'ws/v1/s1/b/g1/data', mean: 100, n: 1, ws: T0, we: T0 + 60_000 },
    ]);
    flow('a', 1); // lands in the next window
    await clock.advance(60_000);
    expect(rows().slice(2)).toEqual([
      { topic: 'ws/v1/s1/a/g1/data', mean: 1, n: 1, ws: T0 + 60_000, we: T0 + 120_000 },
    ]);
    expect(engine.metrics('w')).toMatchObject({ matched: 4, passed: 4, windowsEmitted: 2, rowsOut: 3 });
    expect(clock.pending).toBe(0); // an idle windowed rule holds no timers
    await engine.close();
  });

  it('hopping windows overlap: each message counts in size/hop windows', async () => {
    const { clock, engine, rows, flow } = setup(
      `SELECT count(*) AS n, window_start() AS ws FROM "ws/#" GROUP BY HOPPINGWINDOW(ss, 20, 10)`,
    );
    flow('a', 1); // T0: windows [T0-10, T0+10) and [T0, T0+20)
    await clock.advance(15_000);
    flow('a', 2); // T0+15: windows [T0, T0+20) and [T0+10, T0+30)
    await clock.advance(30_000);
    expect(rows()).toEqual([
      { n: 1, ws: T0 - 10_000 },
      { n: 2, ws: T0 },
      { n: 1, ws: T0 + 10_000 },
    ]);
    await engine.close();
  });

  it('sliding window emits on each message over the last size ms of its group', async () => {
    const { clock, engine, rows, flow } = setup(
      `SELECT topic, sum(payload.values.flow) AS total FROM "ws/#" GROUP BY topic, SLIDINGWINDOW(ss, 10)`,
    );
    flow('a', 1);
    await clock.advance(5_000);
    flow('b', 50);
    flow('a', 2);
    await clock.advance(6_000);
    flow('a', 4); // the first 'a' (11 s ago) has slid out
    expect(rows().map((r) => r['total'])).toEqual([1, 50, 3, 6]);
    await engine.close();
  });

  it('sliding window with delay waits and includes what arrives meanwhile', async () => {
    const { clock, engine, rows, flow } = setup(
      `SELECT sum(payload.values.flow) AS total, window_end() AS we FROM "ws/#" GROUP BY SLIDINGWINDOW(ss, 10, 2)`,
    );
    flow('a', 1);
    await clock.advance(1_000);
    flow('a', 2);
    expect(rows()).toEqual([]);
    await clock.advance(1_000);
    expect(rows()).toEqual([{ total: 3, we: T0 + 2_000 }]);
    await clock.advance(1_000);
    expect(rows()[1]).toEqual({ total: 3, we: T0 + 3_000 });
    await engine.close();
  });

  it('session window per group closes after the timeout or the maximum duration', async () => {
    const { clock, engine, rows, flow } = setup(
      `SELECT topic, count(*) AS n, window_start() AS ws, window_end() AS we
       FROM "ws/#" GROUP BY topic, SESSIONWINDOW(ss, 30, 5)`,
    );
    flow('a', 1);
    await clock.advance(4_000);
    flow('a', 1);
    flow('b', 1);
    await clock.advance(4_999);
    expect(rows()).toEqual([]);
    await clock.advance(1); // 5 s after the last message of both groups
    expect(rows()).toEqual([
      { topic: 'ws/v1/s1/a/g1/data', n: 2, ws: T0, we: T0 + 9_000 },
      { topic: 'ws/v1/s1/b/g1/data', n: 1, ws: T0 + 4_000, we: T0 + 9_000 },
    ]);
    // A chatty group is cut at the maximum duration.
    for (let i = 0; i < 40; i++) {
      flow('c', 1);
      await clock.advance(1_000);
    }
    expect(rows()[2]).toMatchObject({ n: 30, ws: T0 + 9_000, we: T0 + 39_000 });
    await engine.close();
  });

  it('count window per group, tumbling and with hop', async () => {
    const tumbling = setup(
      `SELECT topic, collect(payload.values.flow) AS v FROM "ws/#" GROUP BY topic, COUNTWINDOW(2)`,
    );
    for (const [node, v] of [
      ['a', 1],
      ['b', 9],
      ['a', 2],
      ['a', 3],
      ['a', 4],
    ] as const)
      tumbling.flow(node, v);
    expect(tumbling.rows().map((r) => r['v'])).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await tumbling.engine.close();

    const hopping = setup(
      `SELECT collect(payload.values.flow) AS v, window_start() AS s FROM "ws/#" GROUP BY COUNTWINDOW(3, 1)`,
    );
    for (const v of [1, 2, 3, 4, 5]) hopping.flow('a', v);
    expect(hopping.rows()).toEqual([
      { v: [1, 2, 3], s: 1 },
      { v: [2, 3, 4], s: 2 },
      { v: [3, 4, 5], s: 3 },
    ]);
    await hopping.engine.close();
  });

  it('HAVING filters groups; WHERE filters messages as noResult', async () => {
    const { clock, engine, rows, flow } = setup(
      `SELECT topic, max(payload.values.flow) AS peak FROM "ws/#" WHERE payload.values.flow >= 0
       GROUP BY topic, TUMBLINGWINDOW(ss, 10) HAVING max(payload.values.flow) > 5`,
    );
    flow('a', 9);
    flow('b', 2);
    flow('b', -1);
    await clock.advance(10_000);
    expect(rows()).toEqual([{ topic: 'ws/v1/s1/a/g1/data', peak: 9 }]);
    expect(engine.metrics('w')).toMatchObject({ matched: 3, passed: 2, noResult: 1 });
    await engine.close();
  });

  it('disabling a windowed rule drops open windows and their timers', async () => {
    const { clock, engine, rows, flow } = setup(
      `SELECT count(*) AS n FROM "ws/#" GROUP BY TUMBLINGWINDOW(ss, 10)`,
    );
    flow('a', 1);
    expect(clock.pending).toBe(1);
    engine.disable('w');
    expect(clock.pending).toBe(0);
    await clock.advance(20_000);
    expect(rows()).toEqual([]);
    await engine.close();
  });
});
