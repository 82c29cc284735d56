/**
 * Reading times as vendors write them: ISO 8601, epoch seconds or milliseconds, or a fixed
 * pattern such as `yyyyMMddHHmmss` in the meter's local zone (common on Chinese NB-IoT
 * platforms, which send China Standard Time without a zone designator).
 */

/** Turns a payload value into ms epoch, or undefined when it is not a time of this format. */
export type TimeParser = (raw: unknown) => number | undefined;

const TOKENS = ['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss', 'SSS'] as const;
type Token = (typeof TOKENS)[number];
type Fields = Partial<Record<Token, number>>;

/** ISO 8601 extended format (RFC 3339 §5.6), seconds and zone optional. */
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Compiles a format; throws an Error saying what is wrong with it (a config error: the caller
 * names the config path). `utcOffset` (`+08:00`) applies to times written without a zone.
 */
export function compileTimeFormat(format: string, utcOffset = '+00:00'): TimeParser {
  const defaultOffsetMs = offsetMs(utcOffset);
  if (defaultOffsetMs === undefined) throw new Error(`utcOffset "${utcOffset}" is not ±hh:mm`);
  if (format === 'epoch-s') return (raw) => epoch(raw, 1000);
  if (format === 'epoch-ms') return (raw) => epoch(raw, 1);
  if (format === 'iso8601') return (raw) => iso(raw, defaultOffsetMs);
  return patternParser(format, defaultOffsetMs);
}

function epoch(raw: unknown, factor: number): number | undefined {
  const n = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  return typeof n === 'number' && Number.isFinite(n) ? Math.round(n * factor) : undefined;
}

function iso(raw: unknown, defaultOffsetMs: number): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = ISO_RE.exec(raw);
  if (!m) return undefined;
  const fraction = m[7] ?? '0';
  const fields: Fields = {
    yyyy: Number(m[1]),
    MM: Number(m[2]),
    dd: Number(m[3]),
    HH: Number(m[4]),
    mm: Number(m[5]),
    ss: Number(m[6] ?? 0),
    SSS: Math.round(Number(`0.${fraction}`) * 1000),
  };
  const zone = m[8];
  const off = zone === undefined ? defaultOffsetMs : zone.toUpperCase() === 'Z' ? 0 : offsetMs(zone);
  return off === undefined ? undefined : toEpoch(fields, off);
}

function patternParser(format: string, offset: number): TimeParser {
  let source = '^';
  const order: Token[] = [];
  for (let i = 0; i < format.length;) {
    const token = TOKENS.find((t) => format.startsWith(t, i));
    if (token) {
      if (order.includes(token)) throw new Error(`time format "${format}" repeats ${token}`);
      order.push(token);
      source += `(\\d{${token.length}})`;
      i += token.length;
    } else {
      const ch = format[i]!;
      if (/[A-Za-z]/.test(ch))
        throw new Error(
          `time format "${format}": "${ch}" is neither a token (${TOKENS.join(' ')}) nor a separator`,
        );
      source += ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      i++;
    }
  }
  for (const needed of ['yyyy', 'MM', 'dd'] as const)
    if (!order.includes(needed)) throw new Error(`time format "${format}" lacks ${needed}`);
  const re = new RegExp(`${source}$`);
  return (raw) => {
    // A numeric yyyyMMddHHmmss (JSON number instead of string) is the same digits.
    const text = typeof raw === 'number' && Number.isInteger(raw) ? String(raw) : raw;
    if (typeof text !== 'string') return undefined;
    const m = re.exec(text);
    if (!m) return undefined;
    const fields: Fields = {};
    order.forEach((t, k) => (fields[t] = Number(m[k + 1])));
    return toEpoch(fields, offset);
  };
}

/** Calendar fields in a zone `offset` ms east of UTC → ms epoch; undefined for an impossible date. */
function toEpoch(f: Fields, offset: number): number | undefined {
  const y = f.yyyy!;
  const mo = f.MM!;
  const d = f.dd!;
  const h = f.HH ?? 0;
  const mi = f.mm ?? 0;
  const s = f.ss ?? 0;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > daysInMonth) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s, f.SSS ?? 0) - offset;
}

/** `+08:00` / `-0530` → ms east of UTC. */
function offsetMs(zone: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 14 || Number(m[3]) > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * minutes * 60_000;
}
