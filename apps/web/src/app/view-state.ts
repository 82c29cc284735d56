import { useCallback, useEffect, useState } from 'react';

export const RANGES = [
  { key: '15m', label: '15 min', ms: 15 * 60_000 },
  { key: '1h', label: '1 h', ms: 3_600_000 },
  { key: '6h', label: '6 h', ms: 6 * 3_600_000 },
  { key: '24h', label: '24 h', ms: 24 * 3_600_000 },
] as const;
export type RangeKey = (typeof RANGES)[number]['key'];

/** The most series one trend overlays; beyond that a chart stops being readable. */
export const MAX_COMPARE = 8;

/** What the operator is looking at. Kept in the URL fragment so a view can be bookmarked or shared. */
export interface ViewState {
  site: string | undefined;
  selected: string[];
  range: RangeKey;
}

export function parseViewState(hash: string): ViewState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const range = q.get('range');
  const selected = (q.get('points') ?? '')
    .split(',')
    .filter((s) => s.length > 0)
    .slice(0, MAX_COMPARE);
  return {
    site: q.get('site') ?? undefined,
    selected: [...new Set(selected)],
    range: RANGES.some((r) => r.key === range) ? (range as RangeKey) : '1h',
  };
}

export function formatViewState(v: ViewState): string {
  const q = new URLSearchParams();
  if (v.site !== undefined) q.set('site', v.site);
  if (v.selected.length > 0) q.set('points', v.selected.join(','));
  q.set('range', v.range);
  // Point ids are dots, letters, digits, '_' and '-': readable without the escaped commas.
  return `#${q.toString().replaceAll('%2C', ',')}`;
}

/** Selecting a point alone, or adding/removing it from the comparison. */
export function toggleSelected(selected: readonly string[], id: string): string[] {
  if (selected.includes(id)) return selected.filter((s) => s !== id);
  return [...selected, id].slice(-MAX_COMPARE);
}

export function useViewState(): [ViewState, (update: (v: ViewState) => ViewState) => void] {
  const [state, setState] = useState(() => parseViewState(window.location.hash));

  useEffect(() => {
    const onHash = (): void => setState(parseViewState(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const update = useCallback((fn: (v: ViewState) => ViewState) => {
    setState((prev) => {
      const next = fn(prev);
      const hash = formatViewState(next);
      // replaceState: flipping through points should not flood the back button.
      if (hash !== window.location.hash) window.history.replaceState(null, '', hash);
      return next;
    });
  }, []);

  return [state, update];
}
