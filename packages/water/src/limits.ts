/**
 * Drinking-water limits for compliance reporting. The numbers are not written here: they come
 * from the GB 5749-2022 rule set the alarms package ships (`gb5749RuleSet()` in
 * `@watershed/alarms`, rulesets/gb5749-2022.json, reviewed clause by clause), so the alarm an
 * operator sees and the compliance % a regulator sees judge a value by the same limit. This module
 * reads any rule set of that shape structurally, so this package stays free of the alarm engine.
 */

/** Where a sample is taken, in the standard's terms (GB 5749-2022 §3: 出厂水 / 末梢水). */
export type SamplingRole = 'plant-outlet' | 'network-end';

/** The online-measured parameters compliance is reported on. */
export type QualityParameter = 'turbidity' | 'ph' | 'chlorine';

export const QUALITY_PARAMETERS: readonly QualityParameter[] = ['turbidity', 'ph', 'chlorine'];

/** One side of a limit: a value must not be above `max` / below `min`. */
export interface ComplianceLimit {
  key: string;
  parameter: QualityParameter;
  roles: readonly SamplingRole[];
  kind: 'max' | 'min';
  limit: number;
  unit: string;
  /** e.g. `GB 5749-2022 表1 …, clause 4.2: ≤ 1 NTU`. */
  source: string;
}

/** The limits of one parameter at one role combined: the band a value must be inside. */
export interface ComplianceBand {
  parameter: QualityParameter;
  role: SamplingRole;
  unit: string;
  min?: number;
  max?: number;
  sources: string[];
}

/** The part of an alarms rule set (`RuleSet` in @watershed/alarms) compliance needs. */
export interface RuleSetLike {
  standard: { code: string };
  limits: readonly {
    key: string;
    quantity: string;
    unit: string;
    table: string;
    clause: string;
    requirement: string;
    roles: readonly string[];
    profiles: readonly string[];
    condition: { kind: string; limit?: number };
  }[];
}

const isParameter = (q: string): q is QualityParameter =>
  (QUALITY_PARAMETERS as readonly string[]).includes(q);
const isRole = (r: string): r is SamplingRole => r === 'plant-outlet' || r === 'network-end';

/**
 * The limits of a rule set's profile (`standard` = 集中式供水; `small-system` = clause 4.3's
 * relaxed turbidity) on the parameters compliance covers. Conditions other than a plain
 * high/low limit (rates, stuck, no-data) are alarm behaviour, not water-quality limits.
 */
export function complianceLimitsFromRuleSet(set: RuleSetLike, profile = 'standard'): ComplianceLimit[] {
  const out: ComplianceLimit[] = [];
  for (const l of set.limits) {
    if (!l.profiles.includes(profile) || !isParameter(l.quantity)) continue;
    const { kind, limit } = l.condition;
    if ((kind !== 'high' && kind !== 'low') || typeof limit !== 'number') continue;
    out.push({
      key: l.key,
      parameter: l.quantity,
      roles: l.roles.filter(isRole),
      kind: kind === 'high' ? 'max' : 'min',
      limit,
      unit: l.unit,
      source: `${set.standard.code} ${l.table}, clause ${l.clause}: ${l.requirement}`,
    });
  }
  return out;
}

/**
 * The band of a parameter at a role: the tightest min and max among the limits that apply;
 * undefined when none does (e.g. no chlorine maximum at the network end in 表2).
 */
export function complianceBand(
  limits: readonly ComplianceLimit[],
  parameter: QualityParameter,
  role: SamplingRole,
): ComplianceBand | undefined {
  let band: ComplianceBand | undefined;
  for (const l of limits) {
    if (l.parameter !== parameter || !l.roles.includes(role)) continue;
    band ??= { parameter, role, unit: l.unit, sources: [] };
    if (l.kind === 'max') band.max = band.max === undefined ? l.limit : Math.min(band.max, l.limit);
    else band.min = band.min === undefined ? l.limit : Math.max(band.min, l.limit);
    band.sources.push(l.source);
  }
  return band;
}
