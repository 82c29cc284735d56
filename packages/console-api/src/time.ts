import { ApiErrors } from './errors.js';

// RFC 3339 / ISO-8601 calendar dates and date-times; Date.parse alone accepts far looser text.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const EPOCH_MS = /^-?\d{1,16}$/;

/**
 * Parses a query instant given as ms epoch or ISO-8601 (UTC unless it names a zone); a bad one
 * is a 400 naming `name`.
 */
export function parseInstant(name: string, text: string): number {
  const s = text.trim();
  if (EPOCH_MS.test(s)) return Number(s);
  if (ISO_8601.test(s)) {
    // A date-time without a zone would be read in the server's local zone (ECMA-262
    // Date.parse); the API has no business depending on that, so it is taken as UTC.
    const zoned = /T|\s/i.test(s) && !/(?:Z|[+-]\d{2}:?\d{2})$/i.test(s) ? `${s.replace(' ', 'T')}Z` : s;
    const ms = Date.parse(zoned);
    if (Number.isFinite(ms)) return ms;
  }
  throw ApiErrors.INVALID_PARAM.create([
    name,
    `expected ms since the epoch or an ISO-8601 date-time, got "${text}"`,
  ]);
}

export const DEFAULT_SPAN_MS = 3_600_000;

/**
 * Resolves `from`/`to` against `now`: both default to the last hour; one alone spans an hour
 * from or to it. `from` after `to` is a 400 naming `from`.
 */
export function resolveRange(q: { from?: string; to?: string }, now: number): { from: number; to: number } {
  const to = q.to !== undefined ? parseInstant('to', q.to) : undefined;
  const from = q.from !== undefined ? parseInstant('from', q.from) : undefined;
  const end = to ?? now;
  const start = from ?? end - DEFAULT_SPAN_MS;
  if (start > end) throw ApiErrors.INVALID_PARAM.create(['from', `must not be after to (${start} > ${end})`]);
  return { from: start, to: end };
}
