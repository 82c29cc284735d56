import { InfluxSinkErrors } from './errors.js';

/**
 * InfluxDB line protocol (https://docs.influxdata.com/influxdb/v2/reference/syntax/line-protocol/):
 *
 *   measurement[,tag_key=tag_value...] field_key=field_value[,field_key=field_value...] [timestamp]
 *
 * Escaping, per the spec's "Special characters" section:
 * - measurement: comma and space are escaped with `\`;
 * - tag keys, tag values and field keys: comma, equals sign and space;
 * - string field values: double quote and backslash, inside double quotes.
 * Line protocol cannot carry a newline in a name or tag value ("Line protocol does not support
 * the newline character"), so such a row is refused rather than silently altered.
 */

export type Precision = 'ns' | 'us' | 'ms' | 's';

export interface LineMapping {
  readonly measurement: string;
  readonly measurementField?: string;
  readonly tags: readonly string[];
  /** Undefined: every field of the row that is not a tag, the time or the measurement. */
  readonly fields?: readonly string[];
  readonly timeField: string;
  readonly precision: Precision;
}

export function escapeMeasurement(name: string): string {
  return noNewline(name, 'measurement').replace(/[, ]/g, (c) => `\\${c}`);
}

/** Tag keys, tag values and field keys. */
export function escapeKey(key: string): string {
  return noNewline(key, 'key or tag value').replace(/[,= ]/g, (c) => `\\${c}`);
}

export function quoteString(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * A field value as line protocol writes it: numbers as floats (one type per field, whatever
 * the value, so a field never flips between integer and float and conflicts), booleans as
 * t/f, strings quoted, anything else as its JSON text. Undefined for null and non-finite
 * numbers, which line protocol cannot express: the field is left out.
 */
export function fieldValue(v: unknown): string | undefined {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? formatFloat(v) : undefined;
    case 'boolean':
      return v ? 't' : 'f';
    case 'string':
      return quoteString(v);
    case 'bigint':
      return `${v}i`;
    case 'object':
      return v === null ? undefined : quoteString(JSON.stringify(v));
    default:
      return undefined;
  }
}

function formatFloat(v: number): string {
  // JS prints 1e21 and up in exponent form, which line protocol floats accept (1e+21).
  return String(v);
}

const MULTIPLIER: Record<Precision, bigint> = { ns: 1_000_000n, us: 1_000n, ms: 1n, s: 0n };

/** A ms-epoch time in the given precision, as an integer string (ns needs more than 2^53). */
export function formatTime(ms: number, precision: Precision): string {
  const whole = Math.trunc(ms);
  if (precision === 's') return String(Math.floor(whole / 1000));
  return (BigInt(whole) * MULTIPLIER[precision]).toString();
}

/** One row as one line; throws WS_ERR_SINK_INFLUX_ROW when it cannot be expressed. */
export function toLine(row: Readonly<Record<string, unknown>>, m: LineMapping): string {
  const name = m.measurementField === undefined ? m.measurement : row[m.measurementField];
  if (typeof name !== 'string' || name === '') {
    throw InfluxSinkErrors.ROW.create([`no measurement in field ${m.measurementField ?? ''}`]);
  }
  let line = escapeMeasurement(name);
  // Tags sorted by key, as the spec recommends for write performance.
  for (const key of [...m.tags].sort()) {
    const v = row[key];
    if (v === undefined || v === null || v === '') continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    line += `,${escapeKey(key)}=${escapeKey(text)}`;
  }
  const skip = new Set([...m.tags, m.timeField, ...(m.measurementField ? [m.measurementField] : [])]);
  const keys = m.fields ?? Object.keys(row).filter((k) => !skip.has(k));
  let fields = '';
  for (const key of keys) {
    const v = fieldValue(row[key]);
    if (v === undefined) continue;
    fields += `${fields ? ',' : ''}${escapeKey(key)}=${v}`;
  }
  if (!fields)
    throw InfluxSinkErrors.ROW.create([`no field with a value (fields: ${keys.join(', ') || 'none'})`]);
  line += ` ${fields}`;
  const ts = row[m.timeField];
  if (typeof ts === 'number' && Number.isFinite(ts)) line += ` ${formatTime(ts, m.precision)}`;
  return line;
}

function noNewline(text: string, what: string): string {
  if (/[\n\r]/.test(text)) throw InfluxSinkErrors.ROW.create([`newline in ${what} ${JSON.stringify(text)}`]);
  return text;
}
