import type { RuleSet } from '@watershed/alarms';
import type { SampleRow } from '@watershed/store';
import type { QualityQuantity, Role, Scaled, Selection } from './selection.js';
import type { Share } from './wire.js';

/** A usable reading: good quality and fresh; anything else is not counted either way. */
export type Usable = (point: string) => SampleRow | undefined;

export interface PressureResult extends Share {
  low: number;
  high: number;
}

/** Share of service-pressure points whose latest usable value lies in [minKpa, maxKpa]. */
export function pressureCompliance(
  points: readonly Scaled[],
  usable: Usable,
  band: { minKpa: number; maxKpa?: number },
): PressureResult {
  let within = 0;
  let low = 0;
  let high = 0;
  for (const { point, factor } of points) {
    const row = usable(point.id);
    if (!row || typeof row.value !== 'number') continue;
    const kpa = row.value * factor;
    if (kpa < band.minKpa) low++;
    else if (band.maxKpa !== undefined && kpa > band.maxKpa) high++;
    else within++;
  }
  const total = within + low + high;
  return { within, total, ratio: total > 0 ? within / total : null, low, high };
}

export interface Limit {
  kind: 'high' | 'low';
  limit: number;
}

/**
 * The limits of a GB 5749 rule set (packages/alarms, rulesets/gb5749-2022.json) per quantity and
 * role for one profile: turbidity ≤ 1 NTU (表1; ≤ 3 under clause 4.3's small-system profile),
 * pH 6.5–8.5 (表1), free chlorine 0.3–2 mg/L leaving the plant and ≥ 0.05 mg/L in the network
 * (表2). The numbers are the shipped data's, not restated here.
 */
export function qualityLimits(
  set: RuleSet,
  profile: 'standard' | 'small-system',
): Map<`${QualityQuantity}:${Role}`, Limit[]> {
  const out = new Map<`${QualityQuantity}:${Role}`, Limit[]>();
  for (const l of set.limits) {
    if (!l.profiles.includes(profile)) continue;
    if (l.quantity !== 'turbidity' && l.quantity !== 'chlorine' && l.quantity !== 'ph') continue;
    const c = l.condition;
    if (c.kind !== 'high' && c.kind !== 'low') continue;
    for (const role of l.roles) {
      const key = `${l.quantity}:${role}` as const;
      out.set(key, [...(out.get(key) ?? []), { kind: c.kind, limit: c.limit }]);
    }
  }
  return out;
}

export interface QualityResult extends Share {
  byQuantity: Record<string, Share>;
}

/** Share of water-quality points whose latest usable value meets every limit of its quantity and role. */
export function qualityCompliance(
  points: Selection['quality'],
  usable: Usable,
  limits: ReadonlyMap<string, readonly Limit[]>,
): QualityResult {
  const by: Record<string, { within: number; total: number }> = {};
  for (const { point, quantity, role } of points) {
    const row = usable(point.id);
    if (!row || typeof row.value !== 'number') continue;
    const v = row.value;
    const ok = (limits.get(`${quantity}:${role}`) ?? []).every((l) =>
      l.kind === 'high' ? v <= l.limit : v >= l.limit,
    );
    const q = (by[quantity] ??= { within: 0, total: 0 });
    q.total++;
    if (ok) q.within++;
  }
  const byQuantity: Record<string, Share> = {};
  let within = 0;
  let total = 0;
  for (const [q, s] of Object.entries(by)) {
    byQuantity[q] = { ...s, ratio: s.total > 0 ? s.within / s.total : null };
    within += s.within;
    total += s.total;
  }
  return { within, total, ratio: total > 0 ? within / total : null, byQuantity };
}
