import { EvalFault } from '../errors.js';
import { isNullish, show, typeName } from '../values.js';
import { scalar, type FunctionTable } from './registry.js';

/** Any value as text: strings as-is, objects and arrays as JSON, bytes as UTF-8 (EMQX `str`). */
export function toStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return typeof v;
}

function toInt(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    if (Number.isFinite(n)) return Math.trunc(n);
  }
  throw new EvalFault(`int cannot convert ${typeName(v)} ${show(v)}`);
}

function toFloat(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim());
    if (!Number.isNaN(n)) return n;
  }
  throw new EvalFault(`float cannot convert ${typeName(v)} ${show(v)}`);
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 'true' || v === '1') return true;
  if (v === 0 || v === 'false' || v === '0') return false;
  throw new EvalFault(`bool cannot convert ${typeName(v)} ${show(v)}`);
}

const test = (pred: (v: unknown) => boolean) => scalar(1, 1, ['any'], 'bool', ([v]) => pred(v));

/** Type tests and conversions (EMQX "Data type judgment" and "Data type conversion"). */
export const convertFunctions: FunctionTable = {
  is_null: test(isNullish),
  is_not_null: test((v) => !isNullish(v)),
  is_num: test((v) => typeof v === 'number'),
  is_int: test((v) => typeof v === 'number' && Number.isInteger(v)),
  is_float: test((v) => typeof v === 'number' && !Number.isInteger(v)),
  is_str: test((v) => typeof v === 'string'),
  is_bool: test((v) => typeof v === 'boolean'),
  is_map: test((v) => typeName(v) === 'object'),
  is_array: test(Array.isArray),
  str: scalar(1, 1, ['any'], 'string', ([v]) => toStr(v)),
  int: scalar(1, 1, ['any'], 'number', ([v]) => toInt(v)),
  float: scalar(1, 2, ['any', 'number'], 'number', ([v, digits]) => {
    const f = toFloat(v);
    return typeof digits === 'number' ? Number(f.toFixed(digits)) : f;
  }),
  bool: scalar(1, 1, ['any'], 'bool', ([v]) => toBool(v)),
  coalesce: scalar(1, Infinity, ['any'], 'any', (xs) => xs.find((x) => !isNullish(x)) ?? null),
};
