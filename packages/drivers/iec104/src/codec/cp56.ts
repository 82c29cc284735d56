/**
 * CP56Time2a, the seven-octet binary time of IEC 60870-5-101 §7.2.6.18 (from 60870-5-4 §6.8):
 *
 *   octets 1–2  milliseconds within the minute, 0…59999, little-endian
 *   octet 3     minutes 0…59 (bits 1–6), IV invalid (bit 8)
 *   octet 4     hours 0…23 (bits 1–5), SU summer time (bit 8)
 *   octet 5     day of month 1…31 (bits 1–5), day of week 1…7 (bits 6–8, 0 = not used)
 *   octet 6     month 1…12 (bits 1–4)
 *   octet 7     year 0…99 (bits 1–7)
 *
 * The standard leaves the time zone to the project; Watershed uses UTC on both sides (set the
 * outstation accordingly) so that a time tag is an instant without a zone table.
 */
export const CP56_LENGTH = 7;

export interface Cp56 {
  /** ms since the Unix epoch, read as UTC. */
  ms: number;
  /** IV: the time tag is not valid (the station's clock is not synchronised). */
  invalid: boolean;
  summer: boolean;
}

export function writeCp56(out: Uint8Array, at: number, ms: number, invalid = false): void {
  const d = new Date(ms);
  const msOfMinute = d.getUTCSeconds() * 1000 + d.getUTCMilliseconds();
  out[at] = msOfMinute & 0xff;
  out[at + 1] = msOfMinute >> 8;
  out[at + 2] = d.getUTCMinutes() | (invalid ? 0x80 : 0);
  out[at + 3] = d.getUTCHours();
  // Day of week: 1 = Monday … 7 = Sunday; JavaScript counts Sunday as 0.
  out[at + 4] = d.getUTCDate() | ((d.getUTCDay() || 7) << 5);
  out[at + 5] = d.getUTCMonth() + 1;
  out[at + 6] = d.getUTCFullYear() % 100;
}

/** Decodes a time tag; returns undefined for fields out of range (a broken tag, not a time). */
export function readCp56(b: Uint8Array, at: number): Cp56 | undefined {
  const msOfMinute = (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
  const minute = (b[at + 2] ?? 0) & 0x3f;
  const hour = (b[at + 3] ?? 0) & 0x1f;
  const day = (b[at + 4] ?? 0) & 0x1f;
  const month = (b[at + 5] ?? 0) & 0x0f;
  const year = (b[at + 6] ?? 0) & 0x7f;
  if (msOfMinute > 59_999 || minute > 59 || hour > 23 || day < 1 || month < 1 || month > 12) return undefined;
  // Two-digit years are read in 2000…2099; the standard gives no century.
  const ms = Date.UTC(2000 + year, month - 1, day, hour, minute, 0, msOfMinute);
  return { ms, invalid: ((b[at + 2] ?? 0) & 0x80) !== 0, summer: ((b[at + 3] ?? 0) & 0x80) !== 0 };
}
