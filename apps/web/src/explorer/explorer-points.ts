import type { Point } from '@watershed/model';
import { pointLabel, unitOf } from '../format/format.js';

/**
 * Whether a point answers a search: every word of the query must appear in its id, name, site,
 * unit, quantity or description (case-insensitive), so "north flow" finds the north site's flows.
 */
export function matchesQuery(p: Point, query: string): boolean {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return true;
  const hay = [p.id, p.name, p.site, p.unit, p.quantity, p.description, p.asset]
    .filter((s): s is string => s !== undefined)
    .join(' ')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

/**
 * Legend labels for the selected points: the name and unit an operator knows, made unique by
 * the point's site, then its id, when two selected points share a name (a legend entry is its
 * series' identity in ECharts).
 */
export function seriesLabels(points: readonly Point[]): Map<string, string> {
  const base = (p: Point): string => {
    const unit = unitOf(p);
    return unit !== undefined ? `${pointLabel(p)} [${unit}]` : pointLabel(p);
  };
  const count = (f: (p: Point) => string) => {
    const n = new Map<string, number>();
    for (const p of points) n.set(f(p), (n.get(f(p)) ?? 0) + 1);
    return n;
  };
  const byBase = count(base);
  const withSite = (p: Point): string => `${base(p)} · ${p.site}`;
  const bySite = count(withSite);
  return new Map(
    points.map((p) => {
      if (byBase.get(base(p)) === 1) return [p.id, base(p)];
      if (bySite.get(withSite(p)) === 1) return [p.id, withSite(p)];
      return [p.id, `${base(p)} · ${p.id}`];
    }),
  );
}

/** On/off points plot as steps on a 0/1 axis. */
export function isStatePoint(p: Pick<Point, 'dataType'>): boolean {
  return p.dataType === 'bool';
}
