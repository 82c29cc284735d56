/** What decides a series' axis: its unit, or that it is an on/off state. */
export interface AxisInput {
  id: string;
  unit: string | undefined;
  isState: boolean;
}

export interface PlannedAxis {
  /** The unit, `state` for on/off points, `` for points without a unit. */
  key: string;
  /** Where its scale is drawn; undefined: not drawn (a third unit), its series still scaled on it. */
  side: 'left' | 'right' | undefined;
}

export interface AxisPlan {
  axes: PlannedAxis[];
  /** Index into `axes` of each series. */
  axisOf: ReadonlyMap<string, number>;
}

/** More scales than this beside one chart and nobody can tell which line is read against which. */
export const MAX_VISIBLE_AXES = 2;

export function axisKey(s: Pick<AxisInput, 'unit' | 'isState'>): string {
  return s.isState ? 'state' : (s.unit ?? '');
}

/**
 * One y-axis per unit, so m³/h and bar never share a scale. The first two units of the series
 * that are shown (in selection order) get a drawn scale, left then right; any further unit gets
 * a scale of its own that is not drawn (its line keeps its shape; the tooltip gives values).
 * Series switched off in the legend (`hidden`) free their scale for the next unit.
 */
export function planAxes(series: readonly AxisInput[], hidden: ReadonlySet<string> = new Set()): AxisPlan {
  const keys: string[] = [];
  const axisOf = new Map<string, number>();
  for (const s of series) {
    const k = axisKey(s);
    if (!keys.includes(k)) keys.push(k);
    axisOf.set(s.id, keys.indexOf(k));
  }
  const shownKeys: string[] = [];
  for (const s of series) {
    const k = axisKey(s);
    if (!hidden.has(s.id) && !shownKeys.includes(k)) shownKeys.push(k);
  }
  const drawn = shownKeys.slice(0, MAX_VISIBLE_AXES);
  const axes = keys.map((key): PlannedAxis => {
    const i = drawn.indexOf(key);
    return { key, side: i === 0 ? 'left' : i === 1 ? 'right' : undefined };
  });
  // A cartesian grid needs a y-axis even before anything is plotted.
  if (axes.length === 0) axes.push({ key: '', side: 'left' });
  return { axes, axisOf };
}
