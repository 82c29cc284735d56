import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { gb5749RuleSet } from './gb5749.js';
import type { AlarmRule } from './rule.js';
import { AlarmService } from './service.js';

const P = 'north.plc1.outlet.turbidity';
const rule: AlarmRule = {
  id: 'turb',
  project: 'city',
  name: 'Turbidity',
  point: P,
  severity: 'critical',
  enabled: true,
  condition: { kind: 'high', limit: 1, deadband: 0.1 },
};

describe('AlarmService on a real embedded store', () => {
  let dir: string;
  let store: Store;
  const clock = new FakeClock();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-alarms-'));
    store = await openEmbeddedStore({ dir, clock });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps rules, states and history across a restart', async () => {
    const first = await AlarmService.open({ repositories: store.metadata.alarms, clock });
    await first.putRule(rule);
    first.ingest(P, { ts: clock.now(), value: 1.5, quality: 'good' });
    await first.ack('turb', 'olga', 'checking filter 2');
    await first.shelve('turb', 'olga', clock.now() + 60_000, 'sensor wiper stuck');
    await first.close();
    await store.close();

    store = await openEmbeddedStore({ dir, clock });
    const second = await AlarmService.open({ repositories: store.metadata.alarms, clock });
    expect(second.get('turb')).toMatchObject({
      active: true,
      acknowledged: true,
      acknowledgedBy: 'olga',
      shelved: { by: 'olga' },
      comments: [{ text: 'checking filter 2' }, { text: 'sensor wiper stuck' }],
    });
    expect((await second.listRules()).map((r) => [r.rule.id, r.revision])).toEqual([['turb', 1]]);
    const h = await second.history({ alarm: 'turb' });
    expect(h.entries.map((e) => e.kind)).toEqual(['shelved', 'acknowledged', 'raised']);
    await clock.advance(60_000); // the restored shelving still expires
    second.ingest(P, { ts: clock.now(), value: 0.5, quality: 'good' });
    await second.flush();
    expect((await second.history({ alarm: 'turb', limit: 2 })).entries.map((e) => e.kind)).toEqual([
      'cleared',
      'unshelved',
    ]);
    expect(second.list()).toEqual([]);
    await second.close();
  });

  it('drops a stored state whose rule is gone when it opens', async () => {
    await store.metadata.alarms.states.save({
      id: 'ghost',
      project: 'city',
      point: P,
      state: { id: 'ghost' },
    });
    const svc = await AlarmService.open({ repositories: store.metadata.alarms, clock });
    expect(await store.metadata.alarms.states.get('ghost')).toBeUndefined();
    expect(svc.list({ includeNormal: true })).toEqual([]);
    await svc.close();
  });

  it('updates and deletes rules under their revision; deleting removes the alarm state', async () => {
    const svc = await AlarmService.open({ repositories: store.metadata.alarms, clock });
    await svc.putRule(rule);
    svc.ingest(P, { ts: clock.now(), value: 2, quality: 'good' });
    const v2 = await svc.putRule({ ...rule, severity: 'major' }, 1);
    expect(v2.revision).toBe(2);
    expect(svc.get('turb')).toMatchObject({ severity: 'major', active: true });
    await expect(svc.putRule(rule, 1)).rejects.toMatchObject({ code: 'WS_ERR_STORE_REVISION_CONFLICT' });
    await expect(svc.putRule({ ...rule, id: 'x', condition: { kind: 'stuck' } })).rejects.toMatchObject({
      code: 'WS_ERR_ALARM_RULE_INVALID',
    });
    await svc.deleteRule('turb', 2);
    expect(svc.get('turb')).toBeUndefined();
    expect(await store.metadata.alarms.states.get('turb')).toBeUndefined();
    expect((await svc.history({ alarm: 'turb', limit: 1 })).entries[0]?.kind).toBe('deleted');
    await svc.close();
  });

  it('loads the GB 5749 set twice without duplicating', async () => {
    const svc = await AlarmService.open({ repositories: store.metadata.alarms, clock });
    const mapping = [{ point: P, role: 'plant-outlet' as const, quantity: 'turbidity' as const }];
    const first = await svc.loadRuleSet(gb5749RuleSet(), { project: 'city', mapping });
    const again = await svc.loadRuleSet(gb5749RuleSet(), { project: 'city', mapping });
    const id = `gb5749-2022.turbidity-max.${P}`;
    expect(first).toEqual({ created: [id], updated: [], kept: [] });
    expect(again).toEqual({ created: [], updated: [id], kept: [] });
    const seeded = await svc.loadRuleSet(gb5749RuleSet(), { project: 'city', mapping, keepExisting: true });
    expect(seeded).toEqual({ created: [], updated: [], kept: [id] });
    expect((await svc.getRule(id))?.revision).toBe(2);
    expect(await svc.listRules({ project: 'city' })).toHaveLength(1);
    await svc.close();
  });
});
