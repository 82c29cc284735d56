import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointStore, createRuleEngine, type CheckpointStore } from './index.js';
import { FakeMessageSource } from './testing.js';

const T0 = 1_700_000_040_000;
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** One engine "process" sharing a clock and a checkpoint store with the next. */
function start(clock: FakeClock, store: CheckpointStore, sql: string, intervalMs?: number) {
  const source = new FakeMessageSource(() => clock.now());
  const engine = createRuleEngine({
    source,
    clock,
    checkpoint: intervalMs === undefined ? { store } : { store, intervalMs },
  });
  engine.addRule({ id: 'w', sql, actions: [{ type: 'republish', topic: 'out' }] });
  const rows = () => source.published.map((m) => JSON.parse(m.payload) as Record<string, unknown>);
  const flow = (node: string, value: number) =>
    source.inject({ topic: `ws/v1/s1/${node}/g1/data`, payload: bytes({ values: { flow: value } }) });
  return { source, engine, rows, flow };
}

describe('window checkpoints', () => {
  const TUMBLING = `SELECT topic, avg(payload.values.flow) AS mean, count(*) AS n
                    FROM "ws/#" GROUP BY topic, TUMBLINGWINDOW(ss, 60)`;

  it('a tumbling window survives a restart: saved on close, restored and completed', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryCheckpointStore();
    const first = start(clock, store, TUMBLING);
    first.flow('a', 10);
    first.flow('a', 20);
    first.flow('b', 5);
    await clock.advance(20_000);
    await first.engine.close();
    expect(store.size).toBe(1);
    expect(clock.pending).toBe(0);

    const second = start(clock, store, TUMBLING);
    second.flow('a', 30); // arrives before the restore: merged, not lost
    expect(await second.engine.restore()).toBe(1);
    await clock.advance(40_000);
    expect(second.rows()).toEqual([
      { topic: 'ws/v1/s1/a/g1/data', mean: 20, n: 3 },
      { topic: 'ws/v1/s1/b/g1/data', mean: 5, n: 1 },
    ]);
    await second.engine.close();
    expect(store.size).toBe(0); // nothing open any more
  });

  it('a window whose end passed while down emits at once after restore', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryCheckpointStore();
    const first = start(clock, store, TUMBLING);
    first.flow('a', 4);
    await first.engine.close();
    await clock.advance(120_000);
    const second = start(clock, store, TUMBLING);
    await second.engine.restore();
    await clock.advance(0);
    expect(second.rows()).toEqual([{ topic: 'ws/v1/s1/a/g1/data', mean: 4, n: 1 }]);
    await second.engine.close();
  });

  it('ignores a checkpoint of a different rule text', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryCheckpointStore();
    const first = start(clock, store, TUMBLING);
    first.flow('a', 4);
    await first.engine.close();
    const second = start(clock, store, TUMBLING.replace('avg', 'max'));
    expect(await second.engine.restore()).toBe(0);
    await second.engine.close();
  });

  it('saves periodically on the clock', async () => {
    const clock = new FakeClock(T0);
    const store = new MemoryCheckpointStore();
    const { engine, flow } = start(clock, store, TUMBLING, 5_000);
    flow('a', 1);
    expect(store.size).toBe(0);
    await clock.advance(5_000);
    expect(store.size).toBe(1);
    expect((await store.load('w'))?.windows).toMatchObject({ kind: 'time', windows: [{ start: T0 }] });
    await engine.close();
  });

  it.each([
    [
      'session',
      `SELECT count(*) AS n, sum(payload.values.flow) AS s FROM "ws/#" GROUP BY SESSIONWINDOW(ss, 60, 10)`,
    ],
    ['count', `SELECT count(*) AS n, sum(payload.values.flow) AS s FROM "ws/#" GROUP BY COUNTWINDOW(3)`],
    [
      'sliding',
      `SELECT count(*) AS n, sum(payload.values.flow) AS s FROM "ws/#" GROUP BY SLIDINGWINDOW(ss, 30, 5)`,
    ],
  ])('%s windows round-trip', async (_kind, sql) => {
    const clock = new FakeClock(T0);
    const store = new MemoryCheckpointStore();
    const first = start(clock, store, sql);
    first.flow('a', 1);
    await clock.advance(1_000);
    first.flow('a', 2);
    await first.engine.close();
    const second = start(clock, store, sql);
    expect(await second.engine.restore()).toBe(1);
    second.flow('a', 4);
    await clock.advance(60_000);
    expect(second.rows().at(-1)).toEqual({ n: 3, s: 7 });
    await second.engine.close();
  });
});

describe('checkpoint failures', () => {
  it('a failing save is reported and the rule keeps running', async () => {
    const clock = new FakeClock(T0);
    const problems: unknown[] = [];
    const broken: CheckpointStore = {
      load: () => Promise.resolve(undefined),
      save: () => Promise.reject(new Error('disk full')),
      delete: () => Promise.resolve(),
    };
    const source = new FakeMessageSource(() => clock.now());
    const engine = createRuleEngine({
      source,
      clock,
      checkpoint: { store: broken, onProblem: (p) => problems.push(p) },
    });
    engine.addRule({
      id: 'w',
      sql: `SELECT count(*) AS n FROM "ws/#" GROUP BY TUMBLINGWINDOW(ss, 60)`,
      actions: [{ type: 'republish', topic: 'out' }],
    });
    source.inject({ topic: 'ws/a', payload: { v: 1 } });
    await engine.checkpoint();
    expect(problems).toMatchObject([{ ruleId: 'w', op: 'save', error: { message: 'disk full' } }]);
    source.inject({ topic: 'ws/a', payload: { v: 2 } });
    await clock.advance(60_000);
    expect(source.published.map((m) => JSON.parse(m.payload) as unknown)).toEqual([{ n: 2 }]);
    await engine.close();
  });
});
