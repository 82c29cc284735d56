import type { WatershedError } from '@watershed/common';
import type { DataType, SampleValue } from '@watershed/model';
import type { TagConfig } from '../config.js';
import { EdgeErrors } from '../errors.js';

const INTEGER_RANGE: Partial<Record<DataType, readonly [number, number]>> = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

export type RawValue = { ok: true; raw: SampleValue } | { ok: false; error: WatershedError };

/**
 * Checks a requested value (engineering units) against the tag and turns it into the raw value
 * the device stores: the type must match, a number must lie within the tag's write limits
 * [`min`, `max`], and the inverse of the scaling (raw = (value − offset) / scale) must fit the
 * register type. An integer register takes the nearest raw step; the read-back tolerance
 * (`readBackMatches`) allows for that rounding.
 */
export function toRawValue(point: string, tag: TagConfig, value: SampleValue): RawValue {
  const bad = (): RawValue => ({
    ok: false,
    error: EdgeErrors.WRITE_VALUE.create([JSON.stringify(value), point, tag.dataType]),
  });
  if (tag.dataType === 'bool') return typeof value === 'boolean' ? { ok: true, raw: value } : bad();
  if (tag.dataType === 'string') return typeof value === 'string' ? { ok: true, raw: value } : bad();
  if (typeof value !== 'number' || !Number.isFinite(value)) return bad();
  if ((tag.min !== undefined && value < tag.min) || (tag.max !== undefined && value > tag.max)) {
    return {
      ok: false,
      error: EdgeErrors.WRITE_LIMIT.create([value, point, tag.min ?? '-∞', tag.max ?? '+∞']),
    };
  }
  const s = tag.scale ?? 1;
  const inverse = Math.round(1 / s);
  // The inverse of `scale()`: multiply by 10 rather than divide by 0.1 where that is exact.
  const shifted = value - (tag.offset ?? 0);
  let raw = Math.abs(1 / s - inverse) < 1e-9 ? shifted * inverse : shifted / s;
  const range = INTEGER_RANGE[tag.dataType];
  if (range) {
    raw = Math.round(raw);
    if (raw < range[0] || raw > range[1] || !Number.isFinite(raw)) return bad();
  } else if (!Number.isFinite(raw)) return bad();
  return { ok: true, raw };
}

/**
 * Whether the value read back (engineering units) is the one written. Exact for booleans and
 * strings. For numbers: within half a raw step × |scale| for integer registers (the rounding
 * `toRawValue` did), and within a relative 1e-6 for floats, since a 32-bit register keeps
 * about 7 significant digits (IEEE 754 binary32).
 */
export function readBackMatches(tag: TagConfig, requested: SampleValue, readBack: SampleValue): boolean {
  if (typeof requested !== 'number' || typeof readBack !== 'number') return requested === readBack;
  const scale = Math.abs(tag.scale ?? 1);
  const tolerance = INTEGER_RANGE[tag.dataType]
    ? scale / 2 + Number.EPSILON * Math.abs(requested) * 4
    : Math.max(1e-6 * Math.abs(requested), 1e-9);
  return Math.abs(readBack - requested) <= tolerance;
}
