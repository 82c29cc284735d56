import type { Point, Quantity } from '@watershed/model';
import { pointLabel } from '../format/format.js';

/** The sections an operator scans a plant by, in the order a control-room mimic shows them. */
export type Category = 'pumps' | 'tanks' | 'flows' | 'pressures' | 'quality' | 'setpoints' | 'other';

export const CATEGORY_TITLES: Record<Category, string> = {
  pumps: 'Pumps & drives',
  tanks: 'Tanks & reservoirs',
  flows: 'Flows',
  pressures: 'Pressures',
  quality: 'Water quality',
  setpoints: 'Setpoints',
  other: 'Other',
};

const ORDER: Category[] = ['pumps', 'tanks', 'flows', 'pressures', 'quality', 'setpoints', 'other'];

const BY_QUANTITY: Record<Quantity, Category> = {
  status: 'pumps',
  speed: 'pumps',
  power: 'pumps',
  level: 'tanks',
  volume: 'tanks',
  flow: 'flows',
  pressure: 'pressures',
  chlorine: 'quality',
  turbidity: 'quality',
  ph: 'quality',
  conductivity: 'quality',
  setting: 'setpoints',
  other: 'other',
};

/**
 * Which section a point belongs in. The quantity decides, except that everything measured on a
 * pump (its discharge flow, its motor current) stays with the pump so the operator sees the
 * machine in one place.
 */
export function categoryOf(p: Pick<Point, 'quantity' | 'asset'>): Category {
  if (p.asset !== undefined && /^(pump|p\d)/i.test(p.asset)) return 'pumps';
  if (p.quantity === undefined) return 'other';
  return BY_QUANTITY[p.quantity];
}

export interface PointGroup<P> {
  key: Category;
  title: string;
  points: P[];
}

/** Groups points into sections (in a fixed order, empty ones left out), each sorted by asset then label. */
export function groupPoints<P extends Pick<Point, 'id' | 'quantity' | 'asset' | 'name' | 'tag'>>(
  points: readonly P[],
): PointGroup<P>[] {
  const buckets = new Map<Category, P[]>();
  for (const p of points) {
    const c = categoryOf(p);
    let list = buckets.get(c);
    if (list === undefined) buckets.set(c, (list = []));
    list.push(p);
  }
  const groups: PointGroup<P>[] = [];
  for (const key of ORDER) {
    const list = buckets.get(key);
    if (list === undefined) continue;
    list.sort(comparePoints);
    groups.push({ key, title: CATEGORY_TITLES[key], points: list });
  }
  return groups;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function comparePoints(a: Pick<Point, 'asset' | 'name' | 'tag' | 'id'>, b: typeof a): number {
  return (
    collator.compare(a.asset ?? '\uffff', b.asset ?? '\uffff') ||
    collator.compare(pointLabel(a), pointLabel(b)) ||
    collator.compare(a.id, b.id)
  );
}

/** Case-insensitive match of every word of `query` against what an operator might type for a point. */
export function matchesQuery(
  p: Pick<Point, 'id' | 'name' | 'asset' | 'quantity' | 'unit' | 'description'>,
  query: string,
): boolean {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return true;
  const hay = [p.id, p.name, p.asset, p.quantity, p.unit, p.description]
    .filter((s): s is string => s !== undefined)
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** The sites present in a point list, largest first (the plant before its outstations), then by name. */
export function sitesOf(points: readonly Pick<Point, 'site'>[]): string[] {
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.site, (counts.get(p.site) ?? 0) + 1);
  return [...counts.keys()].sort(
    (a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || collator.compare(a, b),
  );
}
