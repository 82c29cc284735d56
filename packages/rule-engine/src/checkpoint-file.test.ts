import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, waitFor } from '@watershed/common/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCheckpointStore, createRuleEngine, type CheckpointProblem } from './index.js';
import { FakeMessageSource } from './testing.js';

const T0 = 1_700_000_040_000;
const SQL = `SELECT topic, avg(payload.v) AS mean, count(*) AS n FROM "ws/#" GROUP BY topic, TUMBLINGWINDOW(ss, 60)`;

describe('FileCheckpointStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-rule-cp-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function boot(clock: FakeClock, sql = SQL, id = 'meters/avg') {
    const problems: CheckpointProblem[] = [];
    const source = new FakeMessageSource(() => clock.now());
    const store = new FileCheckpointStore(join(dir, 'cp'));
    const engine = createRuleEngine({
      source,
      clock,
      checkpoint: { store, intervalMs: 10_000, onProblem: (p) => problems.push(p) },
    });
    engine.addRule({ id, sql, actions: [{ type: 'republish', topic: 'out' }] });
    const rows = () => source.published.map((m) => JSON.parse(m.payload) as unknown);
    return { source, engine, store, problems, rows };
  }

  it('writes one versioned file per rule by rename, on the interval, and resumes from it', async () => {
    const clock = new FakeClock(T0);
    const a = boot(clock);
    a.source.inject({ topic: 'ws/x', payload: { v: 2 } });
    await clock.advance(10_000);
    // The interval's write is real file I/O: wait for it to land.
    const final = encodeURIComponent('meters/avg') + '.checkpoint.json';
    const names = await waitFor(async () => {
      const now = await readdir(join(dir, 'cp')).catch((): string[] => []);
      return now.includes(final) && now;
    });
    expect(names).toEqual([final]); // the temp file was renamed, not left behind
    const saved = JSON.parse(await readFile(a.store.fileOf('meters/avg'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ version: 2, savedAt: T0 + 10_000, windows: { kind: 'time' } });
    a.source.inject({ topic: 'ws/x', payload: { v: 4 } });
    await a.engine.close();

    const b = boot(clock);
    expect(await b.engine.restore()).toBe(1);
    await clock.advance(60_000);
    expect(b.rows()).toEqual([{ topic: 'ws/x', mean: 3, n: 2 }]);
    expect(b.problems).toEqual([]);
    await b.engine.close();
  });

  it('starts fresh when the SQL changed (hash mismatch), without reporting a problem', async () => {
    const clock = new FakeClock(T0);
    const a = boot(clock);
    a.source.inject({ topic: 'ws/x', payload: { v: 2 } });
    await a.engine.close();
    const b = boot(clock, SQL.replace('avg', 'max'));
    expect(await b.engine.restore()).toBe(0);
    await clock.advance(60_000);
    expect(b.rows()).toEqual([]);
    expect(b.problems).toEqual([]);
    await b.engine.close();
  });

  it.each([
    ['truncated JSON', (text: string) => text.slice(0, text.length / 2), 'WS_ERR_RULE_CHECKPOINT_CORRUPT'],
    [
      'another format version',
      (text: string) => text.replace('"version":2', '"version":1'),
      'WS_ERR_RULE_CHECKPOINT_INCOMPATIBLE',
    ],
    [
      'a wrong shape',
      (text: string) => text.replace('"windows":[', '"windows":7,"x":['),
      'WS_ERR_RULE_CHECKPOINT_CORRUPT',
    ],
    [
      'an aggregate state that does not fit',
      (text: string) => text.replace(/"aggs":\[\[[^\]]*\]/, '"aggs":[["x"]'),
      undefined,
    ],
  ])('reports and ignores a checkpoint with %s; the rule runs on', async (_what, damage, code) => {
    const clock = new FakeClock(T0);
    const a = boot(clock);
    a.source.inject({ topic: 'ws/x', payload: { v: 2 } });
    await a.engine.close();
    const file = a.store.fileOf('meters/avg');
    await writeFile(file, damage(await readFile(file, 'utf8')));

    const b = boot(clock);
    expect(await b.engine.restore()).toBe(0);
    expect(b.problems).toHaveLength(1);
    expect(b.problems[0]).toMatchObject({ ruleId: 'meters/avg', op: 'restore' });
    if (code) expect(b.problems[0]!.error).toMatchObject({ code });
    b.source.inject({ topic: 'ws/x', payload: { v: 8 } });
    await clock.advance(60_000);
    expect(b.rows()).toEqual([{ topic: 'ws/x', mean: 8, n: 1 }]);
    await b.engine.close();
  });

  it('deletes the file once nothing is open, and when the rule is removed', async () => {
    const clock = new FakeClock(T0);
    const a = boot(clock);
    a.source.inject({ topic: 'ws/x', payload: { v: 2 } });
    await a.engine.checkpoint();
    expect(await a.store.load('meters/avg')).toBeDefined();
    a.engine.removeRule('meters/avg');
    await a.engine.close();
    expect(await a.store.load('meters/avg')).toBeUndefined();
  });
});
