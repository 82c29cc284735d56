import { SERIES_COLORS } from './chart-options.js';

/**
 * Colours for the selected series. A series keeps its colour for as long as it stays
 * selected — removing one point must not repaint the others — and a new one takes the first
 * colour not in use.
 */
export function assignColors(
  previous: ReadonlyMap<string, string>,
  selected: readonly string[],
): Map<string, string> {
  const next = new Map<string, string>();
  for (const id of selected) {
    const c = previous.get(id);
    if (c !== undefined) next.set(id, c);
  }
  const used = new Set(next.values());
  let i = 0;
  for (const id of selected) {
    if (next.has(id)) continue;
    while (i < SERIES_COLORS.length - 1 && used.has(SERIES_COLORS[i] ?? '')) i++;
    const c = SERIES_COLORS[i] ?? '#ccc';
    next.set(id, c);
    used.add(c);
  }
  return next;
}
