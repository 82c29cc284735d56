import type { Translate } from '../i18n/translate.js';
import type {
  DistrictSummary,
  DmaDay,
  MeterReason,
  PointDataQuality,
  QualityCompliance,
} from './districts-types.js';

export const DAY_MS = 86_400_000;

/** The ranges of the district charts, in days: a week, a month, a quarter. */
export const RANGE_DAYS = [7, 30, 90] as const;
export type RangeDays = (typeof RANGE_DAYS)[number];

export function rangeOf(days: RangeDays, now: number): { from: number; to: number } {
  return { from: now - days * DAY_MS, to: now };
}

/** Cubic metres the way a control room reads them: whole above 100, one decimal below. */
export function formatM3(v: number | null | undefined, locale?: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const digits = Math.abs(v) >= 100 ? 0 : 1;
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(v);
}

export function formatPct(v: number | null | undefined, locale?: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v)} %`;
}

/**
 * The figures of a district's card: today's balance once today has a night flow, else
 * yesterday's (the night of today is known from early morning; the day's input only at midnight).
 */
export function cardDay(d: DistrictSummary): { day: DmaDay; which: 'today' | 'yesterday' } | undefined {
  if (d.today !== null && d.today.mnfM3h !== null) return { day: d.today, which: 'today' };
  if (d.yesterday !== null) return { day: d.yesterday, which: 'yesterday' };
  if (d.today !== null) return { day: d.today, which: 'today' };
  return undefined;
}

/** Districts with a flagged night first (they need someone now), then by name. */
export function sortDistricts(list: readonly DistrictSummary[]): DistrictSummary[] {
  return [...list].sort((a, b) => Number(b.leak) - Number(a.leak) || a.name.localeCompare(b.name));
}

/** The night flow against its baseline, as a share of the baseline (for the card's bar). */
export function mnfRatio(day: DmaDay): number | undefined {
  if (day.mnfM3h === null || day.baselineM3h === null || day.baselineM3h <= 0) return undefined;
  return day.mnfM3h / day.baselineM3h;
}

const REASONS = new Set([
  'no-readings',
  'incomplete',
  'stale',
  'zero-consumption',
  'reverse-flow',
  'sudden-jump',
  'register-reset',
  'battery-low',
  'valve-closed',
]);

/** A meter's problem in the reader's language; an unknown code shows the server's own words. */
export function reasonText(r: MeterReason, t: Translate): string {
  return REASONS.has(r.code) ? t(`districts.reason.${r.code}` as never) : r.message;
}

/**
 * Colour bands of a compliance share. They are display bands, not a limit of the standard:
 * GB 5749-2022 sets limits per sample; what share a utility must reach is its regulator's rule
 * (commonly ≥ 95 % of samples), so the bar turns amber below that and red below 80 %.
 */
export function complianceBand(pct: number | null): 'good' | 'warn' | 'bad' | 'none' {
  if (pct === null) return 'none';
  if (pct >= 95) return 'good';
  if (pct >= 80) return 'warn';
  return 'bad';
}

/** The limit of a quality item as a reader writes it: "≤ 1 NTU", "6.5 – 8.5", "≥ 0.05 mg/L". */
export function limitText(q: Pick<QualityCompliance, 'min' | 'max' | 'unit'>): string {
  const unit = q.unit.length > 0 ? ` ${q.unit}` : '';
  if (q.min !== null && q.max !== null) return `${q.min} – ${q.max}${unit}`;
  if (q.max !== null) return `≤ ${q.max}${unit}`;
  if (q.min !== null) return `≥ ${q.min}${unit}`;
  return '—';
}

export type DataQualityKey =
  'point' | 'score' | 'completenessPct' | 'gapCount' | 'stuckReadings' | 'spikeCount' | 'badPct';

/** Sorted for the table: by the column, ties by point id so the order is stable. */
export function sortDataQuality(
  items: readonly PointDataQuality[],
  key: DataQualityKey,
  descending: boolean,
): PointDataQuality[] {
  const dir = descending ? -1 : 1;
  return [...items].sort((a, b) => {
    const c = key === 'point' ? a.point.localeCompare(b.point) : a[key] - b[key];
    return c !== 0 ? c * dir : a.point.localeCompare(b.point);
  });
}

/** The sites a data-quality report can be asked for: those of the district inflow points. */
export function sitesOfPoints(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.split('.')[0] ?? id).filter((s) => s.length > 0))].sort();
}
