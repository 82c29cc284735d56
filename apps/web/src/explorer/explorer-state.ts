import { MAX_COMPARE } from '../app/view-state.js';

/** The ranges one click away; anything else is a custom from/to. */
export const PRESETS = [
  { key: '1h', ms: 3_600_000 },
  { key: '24h', ms: 24 * 3_600_000 },
  { key: '7d', ms: 7 * 24 * 3_600_000 },
  { key: '30d', ms: 30 * 24 * 3_600_000 },
] as const;
export type PresetKey = (typeof PRESETS)[number]['key'];

/** What each value of the chart and table stands for: a raw sample, or a bucket of this width. */
export const RESOLUTIONS = [
  { key: 'raw', ms: 0 },
  { key: '1m', ms: 60_000 },
  { key: '15m', ms: 15 * 60_000 },
  { key: '1h', ms: 3_600_000 },
  { key: '1d', ms: 24 * 3_600_000 },
] as const;
export type Resolution = (typeof RESOLUTIONS)[number]['key'];

export type ExplorerRange = { kind: 'preset'; key: PresetKey } | { kind: 'custom'; from: number; to: number };

export type ExplorerView = 'chart' | 'table';

/**
 * What the data explorer shows. It lives in the URL fragment beside the plant view's keys
 * (`site`, `points`, `range`; see app/view-state.ts), under keys of its own so neither page
 * overwrites the other's, and so a link opens the same explorer view for whoever follows it.
 */
export interface ExplorerState {
  points: string[];
  range: ExplorerRange;
  /** undefined: follow the range (see autoResolution). */
  resolution: Resolution | undefined;
  view: ExplorerView;
  /** Series switched off in the legend. */
  hidden: string[];
}

/** The fragment keys the explorer owns; `page=explorer` opens the page from a shared link. */
const KEYS = ['page', 'xp', 'xr', 'xfrom', 'xto', 'xres', 'xview', 'xhide'] as const;
export const EXPLORER_PAGE = 'explorer';

export const DEFAULT_STATE: ExplorerState = {
  points: [],
  range: { kind: 'preset', key: '24h' },
  resolution: undefined,
  view: 'chart',
  hidden: [],
};

function list(q: URLSearchParams, key: string): string[] {
  return [...new Set((q.get(key) ?? '').split(',').filter((s) => s.length > 0))];
}

function instant(text: string | null): number | undefined {
  if (text === null || !/^\d{1,16}$/.test(text)) return undefined;
  return Number(text);
}

export function parseExplorerState(hash: string): ExplorerState {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const points = list(q, 'xp').slice(0, MAX_COMPARE);
  const from = instant(q.get('xfrom'));
  const to = instant(q.get('xto'));
  const preset = PRESETS.find((p) => p.key === q.get('xr'))?.key;
  // A custom range needs both ends in order; a broken one falls back rather than erroring.
  const range: ExplorerRange =
    from !== undefined && to !== undefined && from < to
      ? { kind: 'custom', from, to }
      : { kind: 'preset', key: preset ?? '24h' };
  return {
    points,
    range,
    resolution: RESOLUTIONS.find((r) => r.key === q.get('xres'))?.key,
    view: q.get('xview') === 'table' ? 'table' : 'chart',
    hidden: list(q, 'xhide').filter((id) => points.includes(id)),
  };
}

/** True when the fragment opens the explorer (a shared link). */
export function isExplorerHash(hash: string): boolean {
  return new URLSearchParams(hash.replace(/^#/, '')).get('page') === EXPLORER_PAGE;
}

/**
 * Writes the explorer's keys into `hash`, keeping every other key as it was (the plant view's).
 * Defaults are left out so a plain view has a short link.
 */
export function formatExplorerState(s: ExplorerState, hash: string): string {
  const q = withoutExplorerKeys(hash);
  q.set('page', EXPLORER_PAGE);
  if (s.points.length > 0) q.set('xp', s.points.join(','));
  if (s.range.kind === 'preset') q.set('xr', s.range.key);
  else {
    q.set('xfrom', String(s.range.from));
    q.set('xto', String(s.range.to));
  }
  if (s.resolution !== undefined) q.set('xres', s.resolution);
  if (s.view !== 'chart') q.set('xview', s.view);
  const hidden = s.hidden.filter((id) => s.points.includes(id));
  if (hidden.length > 0) q.set('xhide', hidden.join(','));
  return fragment(q);
}

/** The fragment with the explorer's keys removed: what is left when the explorer closes. */
export function clearExplorerState(hash: string): string {
  return fragment(withoutExplorerKeys(hash));
}

function withoutExplorerKeys(hash: string): URLSearchParams {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  for (const k of KEYS) q.delete(k);
  return q;
}

function fragment(q: URLSearchParams): string {
  const s = q.toString();
  // Point ids are dots, letters, digits, '_' and '-': readable without the escaped commas.
  return s === '' ? '' : `#${s.replaceAll('%2C', ',')}`;
}

/** The window a range covers at `now`: a preset ends now, a custom range is fixed. */
export function resolveWindow(range: ExplorerRange, now: number): { from: number; to: number } {
  if (range.kind === 'custom') return { from: range.from, to: range.to };
  const ms = PRESETS.find((p) => p.key === range.key)?.ms ?? 3_600_000;
  return { from: now - ms, to: now };
}

/**
 * The resolution a range gets unless the user picks one: about a thousand values or fewer per
 * series, the finest tier that stays readable (raw up to 2 h, as the server's `bucket=auto`).
 */
export function autoResolution(spanMs: number): Resolution {
  if (spanMs <= 2 * 3_600_000) return 'raw';
  if (spanMs <= 2 * 24 * 3_600_000) return '1m';
  if (spanMs <= 10 * 24 * 3_600_000) return '15m';
  if (spanMs <= 90 * 24 * 3_600_000) return '1h';
  return '1d';
}

export function resolutionMs(r: Resolution): number {
  return RESOLUTIONS.find((x) => x.key === r)?.ms ?? 0;
}

/** Adds or removes a point from the selection, keeping at most MAX_COMPARE (the oldest go first). */
export function togglePoint(s: ExplorerState, id: string): ExplorerState {
  if (s.points.includes(id))
    return { ...s, points: s.points.filter((p) => p !== id), hidden: s.hidden.filter((h) => h !== id) };
  const points = [...s.points, id].slice(-MAX_COMPARE);
  return { ...s, points, hidden: s.hidden.filter((h) => points.includes(h)) };
}

/** A `<input type="datetime-local">` value (the viewer's local time, to the minute) for `ms`. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/**
 * The instant of a `datetime-local` value; undefined for an empty or malformed one. ECMA-262
 * reads a date-time without an offset as local time, which is what the input shows.
 */
export function fromLocalInput(s: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(s)) return undefined;
  const ms = new Date(s).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
