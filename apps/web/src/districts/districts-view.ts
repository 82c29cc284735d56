import { RANGE_DAYS, type RangeDays } from './districts-logic.js';

export const TABS = ['balance', 'meters', 'quality', 'dataQuality'] as const;
export type DistrictTab = (typeof TABS)[number];

/** What the Districts page shows; kept in the URL fragment so a view can be shared. */
export interface DistrictsView {
  district: string | undefined;
  tab: DistrictTab;
  days: RangeDays;
}

/** The fragment keys the page owns (the plant view and the explorer keep theirs). */
const KEYS = { district: 'dd', tab: 'dtab', days: 'ddays' } as const;

export function parseDistrictsView(hash: string): DistrictsView {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const district = q.get(KEYS.district) ?? undefined;
  const tab = TABS.find((t) => t === q.get(KEYS.tab)) ?? 'balance';
  const days = RANGE_DAYS.find((d) => String(d) === q.get(KEYS.days)) ?? 30;
  return { district: district === '' ? undefined : district, tab, days };
}

/** Writes the view into `hash`, keeping every other key; defaults are left out. */
export function formatDistrictsView(v: DistrictsView, hash: string): string {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  for (const k of Object.values(KEYS)) q.delete(k);
  if (v.district !== undefined) q.set(KEYS.district, v.district);
  if (v.tab !== 'balance') q.set(KEYS.tab, v.tab);
  if (v.days !== 30) q.set(KEYS.days, String(v.days));
  const s = q.toString();
  return s.length > 0 ? `#${s}` : '';
}
