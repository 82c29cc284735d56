import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { FakeMessageSource } from '@watershed/rule-engine/testing';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigRule } from './seed.js';
import { DEFAULT_RULE_PROJECT, startServerRules, type ServerRules } from './server-rules.js';

const CONFIG: ConfigRule[] = [
  {
    id: 'cfg-on',
    sql: 'SELECT payload.v AS v FROM "plant/+/data" WHERE payload.v > 1',
    actions: [{ type: 'republish', topic: 'out/${v}' }],
  },
  { id: 'cfg-off', sql: 'SELECT * FROM "plant/+/data"', enabled: false, actions: [] },
];

describe('server rules: seeding, loading, rate and latency', () => {
  let dir: string;
  let store: Store;
  let clock: FakeClock;
  let source: FakeMessageSource;
  const running: ServerRules[] = [];

  const start = async (configRules = CONFIG): Promise<ServerRules> => {
    const r = await startServerRules({
      source,
      store,
      sinks: { get: () => undefined },
      clock,
      logger: silentLogger(),
      configRules,
      dataDir: dir,
    });
    running.push(r);
    return r;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-server-rules-'));
    clock = new FakeClock();
    source = new FakeMessageSource(() => clock.now());
    store = await openEmbeddedStore({ dir, clock });
  });

  afterEach(async () => {
    for (const r of running.splice(0)) await r.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds config rules into the store once, marked as from config, and runs the enabled ones', async () => {
    const rules = await start();
    expect(await store.metadata.rules.list()).toEqual([
      expect.objectContaining({
        id: 'cfg-off',
        project: DEFAULT_RULE_PROJECT,
        enabled: false,
        definition: { sql: CONFIG[1]!.sql, actions: [], origin: 'config' },
      }),
      expect.objectContaining({
        id: 'cfg-on',
        enabled: true,
        definition: expect.objectContaining({ origin: 'config' }),
      }),
    ]);
    expect(rules.engine.listRules().map((r) => r.id)).toEqual(['cfg-on']);
    expect(rules.runtime.status('cfg-on')).toEqual({ state: 'running' });
    expect(rules.runtime.status('cfg-off')).toEqual({ state: 'stopped' });
    source.inject({ topic: 'plant/a/data', payload: { v: 5 } });
    expect(source.published.map((m) => m.topic)).toEqual(['out/5']);

    // Deleted through the console, a config rule stays deleted across restarts.
    await rules.close();
    await store.metadata.rules.delete('cfg-on');
    const again = await start();
    expect((await store.metadata.rules.list()).map((r) => r.id)).toEqual(['cfg-off']);
    expect(again.engine.listRules()).toEqual([]);
  });

  it('installs the enabled stored rules at start; one that no longer installs is shown as error and the rest run', async () => {
    const put = (id: string, name: string, actions: { type: string }[]) =>
      store.metadata.rules.put({
        id,
        project: 'acme/north',
        name,
        enabled: true,
        definition: { sql: 'SELECT * FROM "plant/+/data"', actions, origin: 'api' },
      });
    await put('good', 'Good', []);
    await put('gone', 'Gone', [{ type: 'email' }]);
    const rules = await start([]);
    expect(rules.engine.listRules().map((r) => r.id)).toEqual(['good']);
    expect(rules.runtime.status('gone')).toMatchObject({
      state: 'error',
      error: { code: 'WS_ERR_RULE_ACTION_UNKNOWN' },
    });
    // Disabling works even then, and clears the error.
    rules.runtime.apply({ id: 'gone', sql: 'SELECT * FROM "plant/+/data"', actions: [], enabled: false });
    expect(rules.runtime.status('gone')).toEqual({ state: 'stopped' });
  });

  it('reports the matched rate over the last minute and the latency of each rule', async () => {
    const rules = await start();
    for (let s = 0; s < 12; s++) {
      for (let i = 0; i < 10; i++) source.inject({ topic: 'plant/a/data', payload: { v: 2 } });
      await clock.advance(5_000);
    }
    const m = rules.runtime.metrics('cfg-on');
    // 10 messages per 5 s sampling interval, averaged over the last minute.
    expect(m?.ratePerSecond).toBeCloseTo(2, 5);
    expect(m).toMatchObject({ matched: 120, passed: 120, failedByReason: { evaluation: 0, late: 0 } });
    // The fake clock stands still within a message: accepted and republished at the same ms.
    expect(m?.latencyMs).toEqual({ count: 120, mean: 0, p50: 0, p99: 0, max: 0 });
    expect(rules.runtime.metrics('cfg-off')).toBeUndefined();
  });

  it('shows the rate of a new rule before the sampler has run twice', async () => {
    const rules = await start([]);
    rules.runtime.apply({ id: 'new', sql: 'SELECT * FROM "plant/+/data"', actions: [], enabled: true });
    for (let i = 0; i < 10; i++) source.inject({ topic: 'plant/a/data', payload: { v: 2 } });
    await clock.advance(2_000);
    expect(rules.runtime.metrics('new')?.ratePerSecond).toBeCloseTo(5, 5);
  });

  it('validates like the engine: SQL with its position, event time on a stateless rule, action configs', async () => {
    const rules = await start([]);
    const problems = rules.runtime.validate({
      id: 'x',
      sql: 'SELECT a FROM "t" WHERE',
      actions: [{ type: 'republish' }, { type: 'console', level: 'loud' }],
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: 'sql', line: 1, column: 24 }),
      expect.objectContaining({ path: 'actions.0', code: 'WS_ERR_RULE_ACTION_CONFIG' }),
      expect.objectContaining({ path: 'actions.1', code: 'WS_ERR_RULE_ACTION_CONFIG' }),
    ]);
    expect(
      rules.runtime.validate({
        id: 'y',
        sql: 'SELECT payload.a AS a FROM "t"',
        actions: [],
        eventTime: { field: 'payload.ts' },
      }),
    ).toEqual([expect.objectContaining({ path: 'eventTime', code: 'WS_ERR_RULE_EVENT_TIME' })]);
    expect(rules.engine.listRules()).toEqual([]);
  });
});
