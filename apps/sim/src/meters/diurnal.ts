/**
 * Household water demand over the day. The shape — almost nothing at night, a sharp peak when
 * people get up (07:00–08:00), a lull, a broader evening peak (19:00–21:00) — is the classic
 * residential pattern of demand studies and of the patterns shipped with EPANET example networks.
 * The hourly factors below average exactly 1, so `factor × mean daily use / 24` is the hour's use.
 */

/** Multipliers of the mean hourly demand for the hours starting 00:00 … 23:00. */
const HOURLY = [
  0.3, 0.22, 0.18, 0.17, 0.2, 0.45, 1.2, 2.1, 1.9, 1.35, 1.05, 1.0, 1.15, 1.0, 0.85, 0.8, 0.9, 1.15, 1.55,
  1.85, 1.8, 1.4, 0.9, 0.54,
] as const;

const MEAN = HOURLY.reduce((a, b) => a + b, 0) / HOURLY.length;

/**
 * Demand factor at `secondsOfDay` (0 ≤ s < 86 400), interpolated smoothly (cosine) between the
 * hourly values placed at the middle of each hour, normalised to a daily mean of 1.
 */
export function diurnalFactor(secondsOfDay: number): number {
  const s = ((secondsOfDay % 86_400) + 86_400) % 86_400;
  const x = s / 3600 - 0.5;
  const i = Math.floor(x);
  const f = x - i;
  const a = HOURLY[(i + 24) % 24] ?? 1;
  const b = HOURLY[(i + 25) % 24] ?? 1;
  const w = (1 - Math.cos(Math.PI * f)) / 2;
  return (a + (b - a) * w) / MEAN;
}
