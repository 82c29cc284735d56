import { SimErrors } from './errors.js';

const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Seconds after midnight of `HH:MM` or `HH:MM:SS`. */
export function parseTimeOfDay(text: string): number {
  const m = HHMM.exec(text.trim());
  if (!m) throw SimErrors.BAD_TIME.create([text]);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0);
}

/** `D+HH:MM:SS` for a simulated time in seconds since 00:00 of day 0 (for logs). */
export function formatSimTime(seconds: number): string {
  const s = Math.floor(seconds);
  const day = Math.floor(s / 86_400);
  const tod = s % 86_400;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${day}+${pad(Math.floor(tod / 3600))}:${pad(Math.floor((tod % 3600) / 60))}:${pad(tod % 60)}`;
}
