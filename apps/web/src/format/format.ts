import type { Point, SampleValue } from '@watershed/model';
import { tEn, type Translate } from '../i18n/translate.js';

/**
 * Value formatting for operators: a number carries as many decimals as its magnitude
 * deserves (a flow of 1 234 m³/h needs none, a chlorine residual of 0.42 mg/L needs two),
 * and a boolean reads as what it means on a plant, in the console's language (`t`).
 */
export function formatValue(
  value: SampleValue | undefined,
  point: Pick<Point, 'quantity' | 'dataType'> & Partial<Pick<Point, 'tag' | 'writable'>>,
  t: Translate = tEn,
): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return formatBool(value, point, t);
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (isIntegerType(point.dataType)) return groupThousands(Math.round(value).toString());
  return formatNumber(value);
}

export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  let decimals: number;
  if (abs === 0) decimals = 0;
  else if (abs >= 1000) decimals = 0;
  else if (abs >= 100) decimals = 1;
  else if (abs >= 1) decimals = 2;
  else if (abs >= 0.1) decimals = 3;
  // Two significant digits below 0.1: 0.097 NTU, 0.0042 mg/L.
  else decimals = Math.min(4, 1 - Math.floor(Math.log10(abs)));
  const fixed = value.toFixed(decimals);
  // -0.00 would look like a signal; show it as zero.
  const cleaned = /^-0(\.0+)?$/.test(fixed) ? fixed.slice(1) : fixed;
  return groupThousands(cleaned);
}

function groupThousands(s: string): string {
  const [int = '', frac] = s.split('.');
  // Thin space keeps 12 345 readable and unambiguous in every locale.
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

function isIntegerType(t: Point['dataType']): boolean {
  return t !== undefined && /^u?int/.test(t);
}

/**
 * A boolean in the words a plant uses: a mode flag reads Auto/Manual, a command or setting
 * On/Off, and everything else — run feedback above all — Running/Stopped.
 */
function formatBool(
  value: boolean,
  point: Pick<Point, 'quantity'> & Partial<Pick<Point, 'tag' | 'writable'>>,
  t: Translate,
): string {
  if (point.tag !== undefined && /auto/i.test(point.tag)) return t(value ? 'value.auto' : 'value.manual');
  if (point.quantity === 'setting' || point.writable === true) return t(value ? 'value.on' : 'value.off');
  return t(value ? 'value.running' : 'value.stopped');
}

/** Age of a value as a short label: "4 s", "12 min", "3 h", "2 d" (or 4 秒, 12 分钟… through `t`). */
export function formatAge(ageMs: number, t: Translate = tEn): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return t('age.s', { n: s });
  const min = Math.floor(s / 60);
  if (min < 60) return t('age.min', { n: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t('age.h', { n: h });
  return t('age.d', { n: Math.floor(h / 24) });
}

/** A value older than this is flagged stale: a healthy poll loop refreshes far more often. */
export const STALE_AFTER_MS = 5 * 60_000;

/** A time of day in the console's locale (`useI18n().locale`); the browser's when none is given. */
export function formatTime(ts: number, locale?: string): string {
  return new Date(ts).toLocaleTimeString(locale, { hour12: false });
}

/** A date and time in the console's locale (`useI18n().locale`); the browser's when none is given. */
export function formatDateTime(ts: number, locale?: string): string {
  return new Date(ts).toLocaleString(locale, { hour12: false });
}

/** The point's unit, or undefined when it has none (some sources send an empty string). */
export function unitOf(p: Pick<Point, 'unit'>): string | undefined {
  return p.unit === undefined || p.unit.trim() === '' ? undefined : p.unit;
}

/** The label an operator knows a point by: its name, else its tag. */
export function pointLabel(p: Pick<Point, 'name' | 'tag'>): string {
  return p.name ?? p.tag;
}
