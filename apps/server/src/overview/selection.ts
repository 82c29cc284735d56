import type { Point } from '@watershed/model';
import type { OverviewConfig } from './config.js';

/** Flow units an outlet may report in, as m³/h per unit. */
const TO_M3H: Record<string, number> = {
  'm3/h': 1,
  'm³/h': 1,
  'L/s': 3.6,
  'l/s': 3.6,
  'm3/s': 3600,
  'm³/s': 3600,
};
/** Pressure units, as kPa per unit; `m` is metres of water head (ρg = 9.80665 kPa/m). */
const TO_KPA: Record<string, number> = {
  kPa: 1,
  MPa: 1000,
  bar: 100,
  Pa: 0.001,
  psi: 6.894757,
  m: 9.80665,
  mH2O: 9.80665,
};

export type QualityQuantity = 'turbidity' | 'chlorine' | 'ph';
export type Role = 'plant-outlet' | 'network-end';

export interface Scaled {
  point: Point;
  /** Multiplies a value into the KPI's unit (m³/h, kPa). */
  factor: number;
}

/** The points each KPI reads, chosen from the point catalog by quantity, unit and tag name. */
export interface Selection {
  /** Outlet flows of the supplying sites. */
  supply: Scaled[];
  /** Service pressures. */
  pressure: Scaled[];
  quality: { point: Point; quantity: QualityQuantity; role: Role }[];
  /** Up to four points per place worth showing beside it. */
  keyPoints: Map<string, Point[]>;
  /** Places (see `placeOf`) whose outflow is supply. */
  supplySites: ReadonlySet<string>;
}

/** The place a point belongs to: a site, or one station (`site.gateway`) of a site. */
export type PlaceOf = (point: { site: string; node: string }) => string;

/**
 * Picks the KPIs' points. Supply: per supplying site, the outlet flow tags of the first of
 * `supply.tagPatterns` that matches any of its flow points (flow meters before pump flows, so
 * a works measured twice is counted once). Pressure: every pressure point but the tags
 * `pressure.excludePattern` names (pump discharge, valve inlet, the logger's minute extremes).
 * Quality: turbidity, chlorine and pH; at a supplying site a point is plant-outlet water
 * (出厂水) unless its tag says it is at the far end (`quality.networkEndPattern`), elsewhere
 * network water (末梢水): the two roles GB 5749-2022 §3 sets limits for.
 */
export function selectPoints(
  points: readonly Point[],
  config: OverviewConfig,
  supplySites: ReadonlySet<string>,
  placeOf: PlaceOf = (p) => p.site,
): Selection {
  const bySite = new Map<string, Point[]>();
  for (const p of points) {
    const key = placeOf(p);
    let list = bySite.get(key);
    if (!list) bySite.set(key, (list = []));
    list.push(p);
  }
  const patterns = config.supply.tagPatterns.map((s) => new RegExp(s));
  const exclude = new RegExp(config.pressure.excludePattern);
  const networkEnd = new RegExp(config.quality.networkEndPattern);
  const supply: Scaled[] = [];
  const pressure: Scaled[] = [];
  const quality: Selection['quality'] = [];
  const keyPoints = new Map<string, Point[]>();
  for (const [site, list] of bySite) {
    const supplying = supplySites.has(site);
    const flows = list.filter((p) => p.quantity === 'flow' && p.unit !== undefined && p.unit in TO_M3H);
    const outlet = supplying ? outletFlows(flows, patterns) : [];
    for (const p of outlet) supply.push({ point: p, factor: TO_M3H[p.unit!]! });
    const pressures = list.filter(
      (p) => p.quantity === 'pressure' && p.unit !== undefined && p.unit in TO_KPA && !exclude.test(p.tag),
    );
    for (const p of pressures) pressure.push({ point: p, factor: TO_KPA[p.unit!]! });
    const qual = list.filter(
      (p): p is Point & { quantity: QualityQuantity } =>
        p.quantity === 'turbidity' || p.quantity === 'chlorine' || p.quantity === 'ph',
    );
    for (const p of qual)
      quality.push({
        point: p,
        quantity: p.quantity,
        role: supplying && !networkEnd.test(p.tag) ? 'plant-outlet' : 'network-end',
      });
    const key = [
      outlet[0] ?? flows[0],
      pressures[0],
      // At a works the outlet residual is the one to show; the far end is the network's figure.
      qual.find((p) => p.quantity === 'chlorine' && !networkEnd.test(p.tag)) ??
        qual.find((p) => p.quantity === 'chlorine'),
      qual.find((p) => p.quantity === 'turbidity') ?? list.find((p) => p.quantity === 'level'),
    ].filter((p): p is Point => p !== undefined);
    keyPoints.set(site, key);
  }
  return { supply, pressure, quality, keyPoints, supplySites };
}

function outletFlows(flows: readonly Point[], patterns: readonly RegExp[]): Point[] {
  for (const re of patterns) {
    const hit = flows.filter((p) => re.test(p.tag));
    if (hit.length > 0) return hit;
  }
  return [];
}
