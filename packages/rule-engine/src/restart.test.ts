import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '@watershed/common/testing';
import type { AggregateFunctionDef } from '@watershed/rule-sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileCheckpointStore,
  MemoryCheckpointStore,
  createRuleEngine,
  type CheckpointStore,
  type EventTimeOptions,
} from './index.js';
import { FakeMessageSource } from './testing.js';

/**
 * The promise of checkpoints: a restart at any moment changes nothing in what the rule emits.
 * Each case replays one message schedule twice on a FakeClock — straight through, and with the
 * engine closed and a new one restored from the checkpoint in the middle of open windows — and
 * compares every row published.
 */
const T0 = 1_700_000_040_000; // a minute boundary
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

interface Step {
  readonly at: number; // ms after T0
  readonly node: string;
  readonly v: number | null;
  /** Event time, for event-time rules (ms after T0). */
  readonly ts: number;
}

/** 40 messages over ~100 s from two nodes, with uneven gaps (session timeouts happen). */
function schedule(): Step[] {
  const steps: Step[] = [];
  let at = 0;
  for (let i = 0; i < 40; i++) {
    at += [1_000, 2_500, 4_000, 700, 12_000][i % 5]!;
    const v = i % 7 === 3 ? null : ((i * 37) % 23) - 5;
    // Event time runs a little behind arrival, out of order within 2 s.
    steps.push({ at, node: i % 3 === 0 ? 'b' : 'a', v, ts: at - ((i * 13) % 2_000) });
  }
  return steps;
}

const noSave: AggregateFunctionDef = {
  kind: 'aggregate',
  minArgs: 1,
  maxArgs: 1,
  valueArgs: 1,
  returns: 'number',
  // A custom aggregate with no save/merge: the runtime must keep rows to checkpoint it.
  create: () => {
    let span = { lo: Infinity, hi: -Infinity };
    return {
      add: (x: unknown) => {
        if (typeof x === 'number') span = { lo: Math.min(span.lo, x), hi: Math.max(span.hi, x) };
      },
      result: () => (span.hi >= span.lo ? span.hi - span.lo : null),
    };
  },
};

interface Run {
  readonly rows: unknown[];
  /** Restarts that found a checkpoint (one may find none when no window was open). */
  readonly restored: number;
}

async function run(
  sql: string,
  store: () => CheckpointStore,
  restartsAt: readonly number[],
  eventTime?: EventTimeOptions,
): Promise<Run> {
  const clock = new FakeClock(T0);
  const cp = store();
  const out: unknown[] = [];
  let restored = 0;
  const boot = async (restore: boolean) => {
    const source = new FakeMessageSource(() => clock.now());
    const engine = createRuleEngine({
      source,
      clock,
      functions: { span: noSave },
      checkpoint: {
        store: cp,
        onProblem: (p) => {
          throw new Error(`unexpected checkpoint problem: ${String(p.error)}`);
        },
      },
    });
    engine.addRule({ id: 'r', sql, actions: [{ type: 'republish', topic: 'out' }], eventTime });
    if (restore) restored += await engine.restore();
    return { source, engine };
  };
  let cur = await boot(false);
  const pending = [...restartsAt];
  const collect = () => {
    for (const m of cur.source.published.splice(0)) out.push(JSON.parse(m.payload));
  };
  for (const s of schedule()) {
    while (pending.length > 0 && pending[0]! <= s.at) {
      await clock.advance(T0 + pending.shift()! - clock.now());
      collect();
      await cur.engine.close();
      cur = await boot(true);
    }
    await clock.advance(T0 + s.at - clock.now());
    collect();
    cur.source.inject({
      topic: `ws/v1/s1/${s.node}/g1/data`,
      payload: bytes({ ts: T0 + s.ts, values: { v: s.v } }),
    });
    collect();
  }
  await clock.advance(300_000);
  collect();
  await cur.engine.close();
  return { rows: out, restored };
}

const CASES: [string, string, EventTimeOptions?][] = [
  [
    'tumbling',
    `SELECT topic, avg(payload.values.v) AS mean, max(payload.values.v) AS hi, min(payload.values.v) AS lo,
            count(*) AS n, first(payload.values.v) AS f, last(payload.values.v) AS l
     FROM "ws/#" GROUP BY topic, TUMBLINGWINDOW(ss, 30)`,
  ],
  [
    'hopping',
    `SELECT topic, sum(payload.values.v) AS s, stddev(payload.values.v) AS sd, median(payload.values.v) AS med,
            percentile(payload.values.v, 0.9) AS p90, collect(payload.values.v) AS all
     FROM "ws/#" GROUP BY topic, HOPPINGWINDOW(ss, 40, 15)`,
  ],
  [
    'session',
    `SELECT topic, count(*) AS n, sum(payload.values.v) AS s, var(payload.values.v) AS var
     FROM "ws/#" GROUP BY topic, SESSIONWINDOW(ss, 60, 10)`,
  ],
  ['count', `SELECT topic, avg(payload.values.v) AS mean FROM "ws/#" GROUP BY topic, COUNTWINDOW(4)`],
  [
    'count with hop',
    `SELECT topic, collect(payload.values.v) AS vs FROM "ws/#" GROUP BY topic, COUNTWINDOW(4, 2)`,
  ],
  [
    'sliding',
    `SELECT topic, count(*) AS n, avg(payload.values.v) AS mean FROM "ws/#" GROUP BY topic, SLIDINGWINDOW(ss, 20, 5)`,
  ],
  [
    'rows without aggregates',
    `SELECT topic, payload.values.v AS v FROM "ws/#" GROUP BY TUMBLINGWINDOW(ss, 20)`,
  ],
  [
    'a custom aggregate that cannot save (rows kept)',
    `SELECT topic, span(payload.values.v) AS span FROM "ws/#" GROUP BY topic, TUMBLINGWINDOW(ss, 30)`,
  ],
  [
    'event-time tumbling with watermark and late drops',
    `SELECT topic, count(*) AS n, sum(payload.values.v) AS s FROM "ws/#" GROUP BY topic, TUMBLINGWINDOW(ss, 20)`,
    { field: 'payload.ts', lateToleranceMs: 500 },
  ],
  [
    'lag and had_changed',
    `SELECT payload.values.v AS v, lag(payload.values.v) AS prev, lag(payload.values.v, 3, -1) AS prev3
     FROM "ws/#" WHERE had_changed(true, payload.values.v)`,
  ],
];

describe('restart in the middle of windows emits what an uninterrupted run emits', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-rule-restart-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(CASES)('%s', async (name, sql, eventTime) => {
    const straight = await run(sql, () => new MemoryCheckpointStore(), [], eventTime);
    expect(straight.rows.length).toBeGreaterThan(3);
    // Restarts mid-window, twice at the same instant, and four in one run.
    for (const restarts of [[21_500], [47_300, 47_300], [8_000, 33_000, 61_000, 90_100]]) {
      const fileDir = join(dir, `${name.replace(/\W+/g, '-')}-${restarts.join('-')}`);
      const resumed = await run(sql, () => new FileCheckpointStore(fileDir), restarts, eventTime);
      expect(resumed.rows, `restarts at ${restarts.join(', ')}`).toEqual(straight.rows);
      expect(resumed.restored).toBeGreaterThan(0);
    }
  });

  it('a restart without checkpoints does change the output (the comparison can fail)', async () => {
    const sql = CASES[0]![1];
    const straight = await run(sql, () => new MemoryCheckpointStore(), []);
    const forgetful: CheckpointStore = {
      load: () => Promise.resolve(undefined),
      save: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    const lossy = await run(sql, () => forgetful, [21_500]);
    expect(lossy.rows).not.toEqual(straight.rows);
  });
});
