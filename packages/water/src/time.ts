import { WaterErrors } from './errors.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Local time as a fixed offset from UTC, in minutes (China Standard Time = +480, no daylight
 * saving). A utility reports by its local day and reads its night flow by the local clock, so
 * every daily analysis takes the offset; a fixed offset keeps the functions pure and free of the
 * host's time-zone database.
 */
export function checkTzOffset(tzOffsetMinutes: number): number {
  if (!Number.isInteger(tzOffsetMinutes) || Math.abs(tzOffsetMinutes) > 14 * 60) {
    throw WaterErrors.BAD_OPTION.create([
      'tzOffsetMinutes',
      `${tzOffsetMinutes} is not a whole number of minutes within ±840`,
    ]);
  }
  return tzOffsetMinutes;
}

/** Start (ms epoch) of the local day holding `ts`. */
export function localDayStart(ts: number, tzOffsetMinutes: number): number {
  const off = tzOffsetMinutes * MINUTE_MS;
  return Math.floor((ts + off) / DAY_MS) * DAY_MS - off;
}

/** The local calendar date (`YYYY-MM-DD`) of a local day's start. */
export function localDate(dayStart: number, tzOffsetMinutes: number): string {
  return new Date(dayStart + tzOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
}

/** Starts of the local days overlapping [from, to), ascending. */
export function localDays(from: number, to: number, tzOffsetMinutes: number): number[] {
  checkRange(from, to);
  const days: number[] = [];
  for (let d = localDayStart(from, tzOffsetMinutes); d < to; d += DAY_MS) days.push(d);
  return days;
}

/** Rejects a range that is not two finite instants in order. */
export function checkRange(from: number, to: number): void {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw WaterErrors.BAD_RANGE.create([`from ${from} must be before to ${to}`]);
  }
}
