import { describe, expect, it } from 'vitest';
import type { AlarmHistoryInput, AlarmRuleInput } from '../metadata/alarm-types.js';
import type { ContractContext } from './fixtures.js';

const rule = (id: string, extra: Partial<AlarmRuleInput> = {}): AlarmRuleInput => ({
  id,
  project: 'city',
  point: 'north.plc1.outlet.turbidity',
  name: `rule ${id}`,
  severity: 'critical',
  enabled: true,
  condition: { kind: 'high', limit: 1, deadband: 0.1 },
  onDelayMs: 30000,
  ...extra,
});

const event = (alarm: string, kind: string, at: number, project = 'city'): AlarmHistoryInput => ({
  alarm,
  project,
  point: 'north.plc1.outlet.turbidity',
  kind,
  at,
  event: { alarm, kind, at, state: 'unack-active', value: 1.4, announce: true },
});

/** Alarm rules, states and history: what lets alarms survive a restart. */
export function describeAlarmsContract(ctx: ContractContext): void {
  describe('metadata: alarms', () => {
    it('keeps rules as revisioned documents, filtered by project and point', async () => {
      const rules = ctx.store.metadata.alarms.rules;
      const created = await rules.put(rule('a2'));
      await rules.put(rule('a1', { point: 'north.plc1.outlet.ph' }));
      await rules.put(rule('b1', { project: 'other' }));
      expect(created).toMatchObject({ ...rule('a2'), revision: 1 });
      expect(await rules.get('a2')).toEqual(created);
      expect((await rules.list({ project: 'city' })).map((r) => r.id)).toEqual(['a1', 'a2']);
      expect((await rules.list({ point: 'north.plc1.outlet.ph' })).map((r) => r.id)).toEqual(['a1']);
      const v2 = await rules.put(rule('a2', { severity: 'major' }), 1);
      expect(v2).toMatchObject({
        severity: 'major',
        revision: 2,
        condition: { kind: 'high', limit: 1, deadband: 0.1 },
      });
      await expect(rules.put(rule('a2'), 1)).rejects.toMatchObject({
        code: 'WS_ERR_STORE_REVISION_CONFLICT',
      });
      await expect(rules.put(rule('a2'))).rejects.toMatchObject({ code: 'WS_ERR_STORE_DUPLICATE' });
      await expect(rules.put(rule('', { point: '' }))).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
      await rules.delete('a2', 2);
      await expect(rules.delete('a2')).rejects.toMatchObject({ code: 'WS_ERR_STORE_NOT_FOUND' });
    });

    it('saves one state per alarm, last write wins, and keeps it across a restart', async () => {
      const { states } = ctx.store.metadata.alarms;
      await states.save({
        id: 'a1',
        project: 'city',
        point: 'p.n.g.t',
        state: { active: true, acknowledged: false },
      });
      await states.save({
        id: 'a1',
        project: 'city',
        point: 'p.n.g.t',
        state: { active: true, acknowledged: true },
      });
      await states.save({
        id: 'b1',
        project: 'other',
        point: 'q.n.g.t',
        state: { active: false, comments: [] },
      });
      const store = await ctx.reopen();
      expect(await store.metadata.alarms.states.get('a1')).toMatchObject({
        project: 'city',
        state: { active: true, acknowledged: true },
      });
      expect((await store.metadata.alarms.states.list({ project: 'other' })).map((s) => s.id)).toEqual([
        'b1',
      ]);
      expect((await store.metadata.alarms.states.list({ point: 'p.n.g.t' })).map((s) => s.id)).toEqual([
        'a1',
      ]);
      expect(await store.metadata.alarms.states.delete('a1')).toBe(true);
      expect(await store.metadata.alarms.states.delete('a1')).toBe(false);
      expect(await store.metadata.alarms.states.get('a1')).toBeUndefined();
    });

    it('appends history and pages it newest first with filters, across a restart', async () => {
      const { history } = ctx.store.metadata.alarms;
      for (let i = 0; i < 5; i++) await history.append(event('a1', i % 2 ? 'cleared' : 'raised', 1000 + i));
      await history.append(event('b1', 'raised', 2000, 'other'));
      const store = await ctx.reopen();
      const h = store.metadata.alarms.history;
      const p1 = await h.query({ project: 'city', limit: 2 });
      expect(p1.entries.map((e) => e.at)).toEqual([1004, 1003]);
      expect(p1.entries[0]).toMatchObject({
        alarm: 'a1',
        kind: 'raised',
        event: { value: 1.4, announce: true },
      });
      const p2 = await h.query({ project: 'city', limit: 2, cursor: p1.next! });
      const p3 = await h.query({ project: 'city', limit: 2, cursor: p2.next! });
      expect([...p2.entries, ...p3.entries].map((e) => e.at)).toEqual([1002, 1001, 1000]);
      expect(p3.next).toBeUndefined();
      expect((await h.query({ kind: 'cleared' })).entries.map((e) => e.at)).toEqual([1003, 1001]);
      expect((await h.query({ alarm: 'b1' })).entries).toHaveLength(1);
      expect((await h.query({ from: 1001, to: 1002 })).entries.map((e) => e.at)).toEqual([1002, 1001]);
      await expect(h.query({ cursor: 'x' })).rejects.toMatchObject({ code: 'WS_ERR_STORE_INVALID_METADATA' });
      expect(await h.prune(1003)).toBe(3);
      expect((await h.query()).entries.map((e) => e.at)).toEqual([2000, 1004, 1003]);
    });
  });
}
