import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Quantity, Severity } from '@watershed/model';
import { AlarmErrors } from './errors.js';
import { AlarmCondition, parseAlarmRule, type AlarmRule } from './rule.js';
import shipped from './rulesets/gb5749-2022.json' with { type: 'json' };

/**
 * Regulatory rule sets shipped as data (rulesets/*.json): each limit names the standard's table
 * and clause it comes from, so a reviewer checks the file against the standard line by line and
 * an engineer edits it (or the alarm rules created from it) without touching code.
 */
export const PointRole = Type.Union([Type.Literal('plant-outlet'), Type.Literal('network-end')]);
export type PointRole = Static<typeof PointRole>;

export const RuleSetProfile = Type.Union([Type.Literal('standard'), Type.Literal('small-system')]);
export type RuleSetProfile = Static<typeof RuleSetProfile>;

export const RuleSetLimit = Type.Object(
  {
    key: Type.String({ pattern: '^[a-z0-9-]+$' }),
    indicator: Type.String(),
    indicatorEn: Type.String(),
    quantity: Quantity,
    unit: Type.String(),
    /** 常规指标 (表1) or 消毒剂常规指标 (表2) in GB 5749-2022. */
    category: Type.String(),
    table: Type.String(),
    clause: Type.String(),
    requirement: Type.String(),
    roles: Type.Array(PointRole, { minItems: 1 }),
    profiles: Type.Array(RuleSetProfile, { minItems: 1 }),
    severity: Severity,
    condition: AlarmCondition,
    onDelayMs: Type.Optional(Type.Integer({ minimum: 0 })),
    offDelayMs: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type RuleSetLimit = Static<typeof RuleSetLimit>;

export const RuleSet = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]+$' }),
    title: Type.String(),
    standard: Type.Object({
      code: Type.String(),
      name: Type.String(),
      issuedBy: Type.String(),
      published: Type.String(),
      effective: Type.String(),
      replaces: Type.Optional(Type.String()),
    }),
    review: Type.Object({ status: Type.String(), note: Type.String() }),
    roles: Type.Record(Type.String(), Type.String()),
    profiles: Type.Record(Type.String(), Type.String()),
    limits: Type.Array(RuleSetLimit, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type RuleSet = Static<typeof RuleSet>;

const checkSet = Compile(RuleSet);

export function parseRuleSet(input: unknown): RuleSet {
  if (!checkSet.Check(input)) {
    const first = [...checkSet.Errors(input)][0];
    throw AlarmErrors.RULE_SET_INVALID.create([
      typeof (input as { id?: unknown })?.id === 'string' ? (input as { id: string }).id : '?',
      first ? `${first.instancePath || '/'} ${first.message}` : 'invalid',
    ]);
  }
  return input;
}

/** GB 5749-2022 as shipped in rulesets/gb5749-2022.json. */
export function gb5749RuleSet(): RuleSet {
  return parseRuleSet(structuredClone(shipped));
}

/** A point and what it is for the rule set: where it sits and what it measures. */
export const RoleMapping = Type.Object(
  {
    point: Type.String({ minLength: 1 }),
    role: PointRole,
    quantity: Quantity,
  },
  { additionalProperties: false },
);
export type RoleMapping = Static<typeof RoleMapping>;

export interface ApplyRuleSetOptions {
  project: string;
  mapping: readonly RoleMapping[];
  profile?: RuleSetProfile;
}

/**
 * The alarm rules a rule set gives a project's points: every limit whose role, quantity and
 * profile match a mapped point, with ids `<set>.<limit>.<point>` (stable, so loading the set again
 * replaces rather than duplicates) and the source named on each rule.
 */
export function applyRuleSet(set: RuleSet, opts: ApplyRuleSetOptions): AlarmRule[] {
  const profile = opts.profile ?? 'standard';
  const rules: AlarmRule[] = [];
  for (const m of opts.mapping) {
    for (const l of set.limits) {
      if (l.quantity !== m.quantity || !l.roles.includes(m.role) || !l.profiles.includes(profile)) continue;
      rules.push(
        parseAlarmRule({
          id: `${set.id}.${l.key}.${m.point}`,
          project: opts.project,
          name: `${l.indicatorEn} ${l.requirement} (${m.role}) ${m.point}`.slice(0, 200),
          point: m.point,
          severity: l.severity,
          enabled: true,
          condition: l.condition,
          ...(l.onDelayMs !== undefined ? { onDelayMs: l.onDelayMs } : {}),
          ...(l.offDelayMs !== undefined ? { offDelayMs: l.offDelayMs } : {}),
          message: `${l.indicator} ${l.requirement}`.slice(0, 500),
          source: `${set.standard.code} ${l.table}, clause ${l.clause}: ${l.category}`.slice(0, 500),
        }),
      );
    }
  }
  return rules;
}
