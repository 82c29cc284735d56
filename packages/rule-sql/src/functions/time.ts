import { EvalFault } from '../errors.js';
import { requireNumber, requireString, show } from '../values.js';
import { scalar, type FunctionTable, type LiteralArg } from './registry.js';

/**
 * Time functions (EMQX "Time and date functions"). The current time comes from the injected
 * clock (FnEnv.now), so rules run deterministically under a FakeClock. Zones are fixed offsets
 * (`Z`, `+08:00`, `-0530`, seconds as a number) or IANA names (`Asia/Shanghai`) resolved via Intl.
 */
const UNITS: Readonly<Record<string, number>> = {
  second: 1000,
  millisecond: 1,
  microsecond: 0.001,
  nanosecond: 0.000001,
};

function msPer(unit: unknown, what: string): number {
  const u = unit === undefined ? 'second' : requireString(unit, what);
  const f = UNITS[u];
  if (f === undefined) throw new EvalFault(`${what}: unknown time unit "${u}"`);
  return f;
}

function validateUnit(position: number) {
  return (lits: readonly LiteralArg[]): string | undefined => {
    const v = lits[position];
    return typeof v === 'string' && UNITS[v] === undefined
      ? `unknown time unit "${v}", expected one of ${Object.keys(UNITS).join(', ')}`
      : undefined;
  };
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `zone` from UTC at instant `ms`, in minutes. */
export function zoneOffsetMinutes(zone: unknown, ms: number): number {
  if (zone === undefined || zone === 'Z' || zone === 'z' || zone === 'UTC') return 0;
  if (typeof zone === 'number') return zone / 60;
  const z = requireString(zone, 'time zone');
  const fixed = /^([+-])(\d{2}):?(\d{2})(?::?(\d{2}))?$/.exec(z);
  if (fixed) {
    const sign = fixed[1] === '-' ? -1 : 1;
    return sign * (Number(fixed[2]) * 60 + Number(fixed[3]) + Number(fixed[4] ?? 0) / 60);
  }
  let fmt = zoneFormatters.get(z);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: z === 'local' ? undefined : z,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new EvalFault(`unknown time zone ${show(z)}`);
    }
    zoneFormatters.set(z, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts['year']!,
    parts['month']! - 1,
    parts['day'],
    parts['hour'],
    parts['minute'],
    parts['second'],
  );
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

const p2 = (n: number) => String(n).padStart(2, '0');

function offsetText(min: number, colon: boolean): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${p2(Math.floor(a / 60))}${colon ? ':' : ''}${p2(Math.round(a % 60))}`;
}

/** strftime-style formatting with EMQX's directives: %Y %m %d %H %M %S %N %3N %6N %z %:z %s %%. */
export function formatDate(ms: number, zone: unknown, fmt: string): string {
  if (!Number.isFinite(ms)) throw new EvalFault(`format_date: invalid timestamp ${ms}`);
  const off = zoneOffsetMinutes(zone, ms);
  const d = new Date(ms + off * 60000);
  const frac = ((ms % 1000) + 1000) % 1000;
  return fmt.replace(/%(%|Y|m|d|H|M|S|s|3N|6N|N|z|:z)/g, (_m, k: string) => {
    switch (k) {
      case '%':
        return '%';
      case 'Y':
        return String(d.getUTCFullYear()).padStart(4, '0');
      case 'm':
        return p2(d.getUTCMonth() + 1);
      case 'd':
        return p2(d.getUTCDate());
      case 'H':
        return p2(d.getUTCHours());
      case 'M':
        return p2(d.getUTCMinutes());
      case 'S':
        return p2(d.getUTCSeconds());
      case 's':
        return String(Math.floor(ms / 1000));
      case '3N':
        return String(Math.floor(frac)).padStart(3, '0');
      case '6N':
        return String(Math.round(frac * 1000)).padStart(6, '0');
      case 'N':
        return String(Math.round(frac * 1_000_000)).padStart(9, '0');
      case 'z':
        return offsetText(off, false);
      default:
        return offsetText(off, true);
    }
  });
}

function toRfc3339(ms: number, unitMs: number, zone: unknown): string {
  const off = zoneOffsetMinutes(zone, ms);
  const fracDigits = unitMs >= 1000 ? '' : unitMs >= 1 ? '.%3N' : unitMs >= 0.001 ? '.%6N' : '.%N';
  const base = formatDate(ms, zone, `%Y-%m-%dT%H:%M:%S${fracDigits}`);
  return base + (off === 0 ? 'Z' : offsetText(off, true));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;

function parseRfc3339(text: string): number {
  const m = RFC3339.exec(text);
  if (!m) throw new EvalFault(`rfc3339_to_unix_ts: not an RFC 3339 date-time ${show(text)}`);
  const utc = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
  const frac = m[7] ? Number(m[7]) * 1000 : 0;
  return utc + frac - zoneOffsetMinutes(m[8]!.toUpperCase() === 'Z' ? 'Z' : m[8], utc) * 60000;
}

export const timeFunctions: FunctionTable = {
  now_timestamp: scalar(
    0,
    1,
    ['string'],
    'number',
    ([unit], env) => Math.floor(env.now() / msPer(unit, 'now_timestamp')),
    {
      validate: validateUnit(0),
    },
  ),
  now_rfc3339: scalar(
    0,
    1,
    ['string'],
    'string',
    ([unit], env) => toRfc3339(env.now(), msPer(unit, 'now_rfc3339'), 'Z'),
    {
      validate: validateUnit(0),
    },
  ),
  unix_ts_to_rfc3339: scalar(
    1,
    3,
    ['number', 'string', 'any'],
    'string',
    ([ts, unit, zone]) => {
      const f = msPer(unit, 'unix_ts_to_rfc3339');
      return toRfc3339(requireNumber(ts, 'unix_ts_to_rfc3339') * f, f, zone);
    },
    { validate: validateUnit(1) },
  ),
  rfc3339_to_unix_ts: scalar(
    1,
    2,
    ['string', 'string'],
    'number',
    ([text, unit]) =>
      Math.floor(parseRfc3339(requireString(text, 'rfc3339_to_unix_ts')) / msPer(unit, 'rfc3339_to_unix_ts')),
    { validate: validateUnit(1) },
  ),
  /** EMQX: format_date(unit, offset, format[, time]); time defaults to now in `unit`. */
  format_date: scalar(
    3,
    4,
    ['string', 'any', 'string', 'number'],
    'string',
    ([unit, zone, fmt, ts], env) => {
      const f = msPer(unit, 'format_date');
      const ms = ts === undefined ? env.now() : requireNumber(ts, 'format_date') * f;
      return formatDate(ms, zone, requireString(fmt, 'format_date'));
    },
    { validate: validateUnit(0) },
  ),
};
