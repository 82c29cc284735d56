import type { OverviewKpis, Severity, SiteSummary } from './overview-types.js';

/** KPIs are aggregates: the page asks for them this often, never faster (the map is live). */
export const KPI_REFRESH_MS = 5000;

export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];

/** What a site's marker and row say at a glance, worst first. */
export type SiteState = Severity | 'bad' | 'stale' | 'ok' | 'unknown';

/**
 * A site's state: its worst active alarm; else `bad` when a key value's newest sample is not
 * good (live); else `stale` when fewer than half of its points are fresh; else ok.
 */
export function siteState(site: SiteSummary, keyQualities: readonly (string | undefined)[]): SiteState {
  for (const s of SEVERITIES) if (site.alarms[s] > 0) return s;
  if (keyQualities.some((q) => q !== undefined && q !== 'good')) return 'bad';
  if (site.points === 0) return 'unknown';
  if (site.fresh < site.points / 2) return 'stale';
  return 'ok';
}

/** Colours of the states, shared by map markers and list dots (ISA-101 style: colour means abnormal). */
export const STATE_COLORS: Record<SiteState, string> = {
  critical: '#d93025',
  major: '#f28b25',
  minor: '#f2c94c',
  warning: '#f2c94c',
  bad: '#a142f4',
  stale: '#9aa0a6',
  unknown: '#9aa0a6',
  ok: '#1e8e3e',
};

/** A share as a whole percent, or a dash when nothing counted. */
export function percent(ratio: number | null): string {
  if (ratio === null) return '—';
  // 99.6 % must not read as 100 % (a compliance figure of 100 says "every point").
  const p = ratio * 100;
  return `${p > 99 && p < 100 ? p.toFixed(1) : Math.round(p)} %`;
}

/** Volume in m³ with thousands grouped, no decimals above 100. */
export function volume(m3: number | null, locale: string): string {
  if (m3 === null) return '—';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: m3 >= 100 ? 0 : 1 }).format(m3);
}

/** Level of a compliance KPI for its tile colour: at least 95 % good, 80 % fair, else poor. */
export function level(ratio: number | null): 'good' | 'warn' | 'bad' | 'none' {
  if (ratio === null) return 'none';
  return ratio >= 0.95 ? 'good' : ratio >= 0.8 ? 'warn' : 'bad';
}

/** The site's label: its configured name, else its key. */
export function siteLabel(s: Pick<SiteSummary, 'key' | 'name'>): string {
  return s.name ?? s.key;
}

/** Sites sorted for the list: those in alarm first (worst first), then by label. */
export function sortSites(sites: readonly SiteSummary[]): SiteSummary[] {
  const rank = (s: SiteSummary) => {
    const i = SEVERITIES.findIndex((sev) => s.alarms[sev] > 0);
    return i < 0 ? SEVERITIES.length : i;
  };
  return [...sites].sort((a, b) => rank(a) - rank(b) || siteLabel(a).localeCompare(siteLabel(b)));
}

/** Total active alarms of the KPIs, for the tile. */
export function activeAlarms(k: OverviewKpis): number {
  return SEVERITIES.reduce((n, s) => n + k.alarms.bySeverity[s], 0);
}
