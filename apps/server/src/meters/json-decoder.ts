import { isName, type MeterReading } from '@watershed/model';
import type { WatershedError } from '@watershed/common';
import type { FlagSpec, JsonDecoderSpec, NumberSpec } from './config.js';
import { MeterErrors } from './errors.js';
import { compileTimeFormat, type TimeParser } from './time-format.js';

export type DecodeOutcome = { ok: true; reading: MeterReading } | { ok: false; error: WatershedError };

/** Turns one vendor payload (parsed JSON) into a normalised reading; never throws. */
export interface MeterDecoder {
  decode(payload: unknown): DecodeOutcome;
}

/** Times a meter can plausibly report; outside is a unit mix-up (s vs ms) or an unset clock. */
const MIN_TS = Date.UTC(2000, 0, 1);
const MAX_TS = Date.UTC(2100, 0, 1);

/** Thrown inside `decode` only, and turned into its outcome there. */
class Refusal extends Error {
  constructor(readonly error: WatershedError) {
    super(error.message);
  }
}

/**
 * The generic JSON uplink converter (what a ThingsBoard uplink converter or an EMQX rule's
 * SELECT does, as configuration): field paths for the id, time, register and flags, the time
 * format and zone, and the unit scale. The built-in vendors are presets of it (presets.ts).
 * Throws an Error naming the problem when the spec cannot work (a bad time format).
 */
export function jsonDecoder(spec: JsonDecoderSpec): MeterDecoder {
  const id = compilePath(spec.id);
  const time = compilePath(spec.time.path);
  const parseTime: TimeParser = compileTimeFormat(spec.time.format, spec.time.utcOffset);
  const timeLabel = spec.time.format;
  const total = numberReader(spec.total);
  const flow = spec.flow ? numberReader(spec.flow) : undefined;
  const batteryLow = spec.batteryLow ? flagReader(spec.batteryLow) : undefined;
  const valveOpen = spec.valveOpen ? flagReader(spec.valveOpen) : undefined;

  return {
    decode(payload) {
      try {
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
          throw new Refusal(MeterErrors.NOT_OBJECT.create([describe(payload)]));
        const rawId = required(payload, id);
        const meter = typeof rawId === 'number' && Number.isSafeInteger(rawId) ? String(rawId) : rawId;
        if (typeof meter !== 'string' || !isName(meter))
          throw new Refusal(MeterErrors.BAD_ID.create([String(describe(rawId))]));
        const rawTs = required(payload, time);
        const ts = parseTime(rawTs);
        if (ts === undefined)
          throw new Refusal(MeterErrors.BAD_TIME.create([time.text, String(describe(rawTs)), timeLabel]));
        if (ts < MIN_TS || ts >= MAX_TS)
          throw new Refusal(MeterErrors.TIME_RANGE.create([time.text, new Date(ts).toISOString()]));
        const reading: MeterReading = { meter, ts, totalM3: total(payload, true)! };
        const f = flow?.(payload, false);
        if (f !== undefined) reading.flowM3h = f;
        const b = batteryLow?.(payload);
        if (b !== undefined) reading.batteryLow = b;
        const v = valveOpen?.(payload);
        if (v !== undefined) reading.valveOpen = v;
        return { ok: true, reading };
      } catch (err) {
        if (err instanceof Refusal) return { ok: false, error: err.error };
        throw err;
      }
    },
  };
}

interface Path {
  readonly text: string;
  readonly keys: readonly string[];
}

function compilePath(text: string): Path {
  return { text, keys: text.split('.') };
}

function valueAt(payload: object, path: Path): unknown {
  let v: unknown = payload;
  for (const k of path.keys) {
    if (typeof v !== 'object' || v === null) return undefined;
    // Own properties only: a payload must not reach Object.prototype through "__proto__".
    if (!Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function required(payload: object, path: Path): unknown {
  const v = valueAt(payload, path);
  if (v === undefined || v === null) throw new Refusal(MeterErrors.FIELD_MISSING.create([path.text]));
  return v;
}

/**
 * Reads a number and converts it to the target unit. A scale that is the inverse of an integer
 * (0.001) divides instead of multiplying, so 1234567 L give exactly 1234.567 m³, not …0002.
 */
function numberReader(spec: NumberSpec): (payload: object, needed: boolean) => number | undefined {
  const path = compilePath(spec.path);
  const scale = spec.scale ?? 1;
  const divisor = Math.round(1 / scale);
  const divides = scale < 1 && Math.abs(1 / scale - divisor) < 1e-9;
  return (payload, needed) => {
    const raw = needed ? required(payload, path) : valueAt(payload, path);
    if (raw === undefined || raw === null) return undefined;
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
      throw new Refusal(
        MeterErrors.FIELD_INVALID.create([path.text, `expected a non-negative number, got ${describe(raw)}`]),
      );
    return divides ? n / divisor : n * scale;
  };
}

function flagReader(spec: FlagSpec): (payload: object) => boolean | undefined {
  const path = compilePath(spec.path);
  const invalid = (raw: unknown, expected: string): Refusal =>
    new Refusal(MeterErrors.FIELD_INVALID.create([path.text, `expected ${expected}, got ${describe(raw)}`]));
  return (payload) => {
    const raw = valueAt(payload, path);
    if (raw === undefined || raw === null) return undefined;
    if ('map' in spec) {
      const key =
        typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : '';
      if (key === '' || !Object.prototype.hasOwnProperty.call(spec.map, key))
        throw invalid(raw, `one of ${Object.keys(spec.map).join(', ')}`);
      return spec.map[key];
    }
    if ('mask' in spec) {
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0)
        throw invalid(raw, 'a status word (non-negative integer)');
      // Status words are at most 32 bits on these meters; `&` works on int32.
      return (raw & spec.mask) !== 0 ? spec.whenSet : !spec.whenSet;
    }
    if ('below' in spec) {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) throw invalid(raw, 'a number');
      return raw < spec.below;
    }
    if (typeof raw !== 'boolean') throw invalid(raw, 'true or false');
    return raw;
  };
}

/** A short rendering of an offending value for an error message. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const text =
    typeof v === 'string'
      ? JSON.stringify(v)
      : typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : typeof v;
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
