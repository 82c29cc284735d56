import { describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import { AlarmEngine } from './engine.js';
import { applyRuleSet, gb5749RuleSet, parseRuleSet, type RoleMapping } from './gb5749.js';
import type { AlarmEvent } from './state.js';

const outletTurbidity = 'north.plc1.outlet.turbidity';
const mapping: RoleMapping[] = [
  { point: outletTurbidity, role: 'plant-outlet', quantity: 'turbidity' },
  { point: 'north.plc1.outlet.ph', role: 'plant-outlet', quantity: 'ph' },
  { point: 'north.plc1.outlet.cl', role: 'plant-outlet', quantity: 'chlorine' },
  { point: 'dma7.rtu3.quality.cl', role: 'network-end', quantity: 'chlorine' },
];

describe('GB 5749-2022 rule set', () => {
  it('ships the standard’s limits, each naming its table, clause and category', () => {
    const set = gb5749RuleSet();
    const byKey = Object.fromEntries(set.limits.map((l) => [l.key, l]));
    expect(set.standard).toMatchObject({ code: 'GB 5749-2022', effective: '2023-04-01' });
    expect(byKey['turbidity-max']).toMatchObject({
      condition: { kind: 'high', limit: 1 },
      category: '常规指标',
      clause: '4.2',
    });
    expect(byKey['turbidity-max']?.table).toMatch(/^表1/);
    expect(byKey['turbidity-max-small-system']).toMatchObject({
      condition: { limit: 3 },
      clause: '4.3',
      profiles: ['small-system'],
    });
    expect(byKey['ph-min']?.condition).toMatchObject({ kind: 'low', limit: 6.5 });
    expect(byKey['ph-max']?.condition).toMatchObject({ kind: 'high', limit: 8.5 });
    expect(byKey['free-chlorine-outlet-min']).toMatchObject({
      condition: { kind: 'low', limit: 0.3 },
      roles: ['plant-outlet'],
    });
    expect(byKey['free-chlorine-outlet-max']).toMatchObject({
      condition: { kind: 'high', limit: 2 },
      roles: ['plant-outlet'],
    });
    expect(byKey['free-chlorine-network-min']).toMatchObject({
      condition: { kind: 'low', limit: 0.05 },
      roles: ['network-end'],
    });
    for (const l of set.limits.filter((x) => x.quantity === 'chlorine')) {
      expect(l).toMatchObject({ category: '消毒剂常规指标' });
      expect(l.table).toMatch(/^表2/);
    }
  });

  it('applies by point role: outlet chlorine gets 0.3–2, network-end chlorine only ≥ 0.05', () => {
    const rules = applyRuleSet(gb5749RuleSet(), { project: 'city', mapping });
    const ids = rules.map((r) => r.id).sort();
    expect(ids).toEqual(
      [
        `gb5749-2022.turbidity-max.${outletTurbidity}`,
        'gb5749-2022.ph-min.north.plc1.outlet.ph',
        'gb5749-2022.ph-max.north.plc1.outlet.ph',
        'gb5749-2022.free-chlorine-outlet-max.north.plc1.outlet.cl',
        'gb5749-2022.free-chlorine-outlet-min.north.plc1.outlet.cl',
        'gb5749-2022.free-chlorine-network-min.dma7.rtu3.quality.cl',
      ].sort(),
    );
    const turbidity = rules.find((r) => r.point === outletTurbidity);
    expect(turbidity).toMatchObject({ project: 'city', severity: 'critical', enabled: true });
    expect(turbidity?.source).toMatch(/^GB 5749-2022 表1.*clause 4\.2: 常规指标$/);
    const small = applyRuleSet(gb5749RuleSet(), {
      project: 'village',
      mapping: mapping.slice(0, 1),
      profile: 'small-system',
    });
    expect(small.map((r) => r.condition)).toEqual([{ kind: 'high', limit: 3, deadband: 0.2 }]);
  });

  it('a turbidity excursion at the plant outlet raises a critical alarm and clears with hysteresis', async () => {
    const clock = new FakeClock();
    const engine = new AlarmEngine({ clock });
    const events: AlarmEvent[] = [];
    engine.subscribe((e) => events.push(e));
    engine.setRules(applyRuleSet(gb5749RuleSet(), { project: 'city', mapping }));
    const feed = async (values: number[]) => {
      for (const value of values) {
        engine.ingest(outletTurbidity, { ts: clock.now(), value, quality: 'good' });
        await clock.advance(10_000);
      }
    };
    await feed([0.3, 0.35, 1.4]); // a 10 s spike: shorter than the 30 s on-delay
    await feed([0.4, 0.4, 0.4]);
    expect(events).toEqual([]);
    await feed([1.6, 1.8, 2.1, 1.7]); // a real excursion
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'raised',
        severity: 'critical',
        state: 'unack-active',
        point: outletTurbidity,
      }),
    ]);
    await feed([0.95, 0.92, 0.95, 0.93, 0.96]); // below 1 NTU but inside the 0.1 deadband: stays active
    expect(events).toHaveLength(1);
    await feed([0.85, 0.8, 0.8, 0.8]);
    expect(events.map((e) => `${e.kind}:${e.state}`)).toEqual([
      'raised:unack-active',
      'cleared:unack-cleared',
    ]);
    engine.close();
  });

  it('an edited copy is checked against the schema before use', () => {
    const set = gb5749RuleSet();
    set.limits[0]!.severity = 'major';
    expect(parseRuleSet(set).limits[0]?.severity).toBe('major');
    expect(gb5749RuleSet().limits[0]?.severity).toBe('critical'); // the shipped set is not shared state
    expect(() =>
      parseRuleSet({ ...set, limits: [{ ...set.limits[0], condition: { kind: 'high' } }] }),
    ).toThrow(expect.objectContaining({ code: 'WS_ERR_ALARM_RULE_SET_INVALID' }));
  });
});
