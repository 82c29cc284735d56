import { EvalFault } from './errors.js';

/**
 * Runtime value semantics shared by operators and functions. Missing fields are `undefined` and
 * behave as SQL null (EMQX's `undefined`): they propagate through arithmetic, are false in
 * ordering comparisons and equal only to another null. A wrong type is an {@link EvalFault}:
 * the one message fails with that reason, the rule keeps running.
 */
export type Value = unknown;

export function isNullish(v: Value): v is null | undefined {
  return v === null || v === undefined;
}

export function typeName(v: Value): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Uint8Array) return 'binary';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Renders a value for messages: short, and never throws. */
export function show(v: Value): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === undefined) return 'null';
  try {
    const s = JSON.stringify(v) ?? typeName(v);
    return s.length > 60 ? `${s.slice(0, 60)}…` : s;
  } catch {
    return typeName(v);
  }
}

/** Numbers and numeric strings as numbers (EMQX compares `'10' > 9` numerically). */
function asComparableNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

export function equals(a: Value, b: Value): boolean {
  if (isNullish(a) || isNullish(b)) return isNullish(a) && isNullish(b);
  if (typeof a === typeof b) {
    if (typeof a === 'object') return deepEqual(a, b);
    return a === b;
  }
  const x = asComparableNumber(a);
  const y = asComparableNumber(b);
  if (x !== undefined && y !== undefined) return x === y;
  return false;
}

function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Orders two values: negative, zero, positive; undefined when they cannot be ordered (→ false). */
export function order(a: Value, b: Value): number | undefined {
  if (isNullish(a) || isNullish(b)) return undefined;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = asComparableNumber(a);
  const y = asComparableNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

/** SQL truthiness for WHERE/INCASE/HAVING/CASE: only `true` passes (null and 'yes' do not). */
export function isTrue(v: Value): boolean {
  return v === true;
}

export function requireNumber(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  throw new EvalFault(`${what} expects a number, got ${typeName(v)} ${show(v)}`);
}

export function requireString(v: Value, what: string): string {
  if (typeof v === 'string') return v;
  throw new EvalFault(`${what} expects a string, got ${typeName(v)} ${show(v)}`);
}

export function requireInt(v: Value, what: string): number {
  const n = requireNumber(v, what);
  if (!Number.isInteger(n)) throw new EvalFault(`${what} expects an integer, got ${n}`);
  return n;
}

export function arithmetic(op: '+' | '-' | '*' | '/' | 'div' | 'mod', a: Value, b: Value): Value {
  if (isNullish(a) || isNullish(b)) return null;
  // EMQX concatenates two strings with `+`.
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (typeof a !== 'number' || typeof b !== 'number') {
    throw new EvalFault(`cannot apply "${op}" to ${typeName(a)} ${show(a)} and ${typeName(b)} ${show(b)}`);
  }
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new EvalFault('division by zero');
      return a / b;
    case 'div':
      if (!Number.isInteger(a) || !Number.isInteger(b))
        throw new EvalFault(`div expects integers, got ${a} and ${b}`);
      if (b === 0) throw new EvalFault('division by zero');
      return Math.trunc(a / b);
    case 'mod':
      if (!Number.isInteger(a) || !Number.isInteger(b))
        throw new EvalFault(`mod expects integers, got ${a} and ${b}`);
      if (b === 0) throw new EvalFault('division by zero');
      return a % b;
  }
}

/** Reads `obj.key`; anything but a plain object yields undefined (EMQX null semantics). */
export function getKey(obj: Value, key: string): Value {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || obj instanceof Uint8Array) {
    return undefined;
  }
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** Reads `arr[i]` with EMQX's 1-based index; negative counts from the end; 0 or out of range → null. */
export function getIndex(arr: Value, index: Value): Value {
  if (typeof index === 'string') return getKey(arr, index);
  if (!Array.isArray(arr)) return undefined;
  const i = requireInt(index, 'array index');
  if (i > 0) return arr[i - 1];
  if (i < 0) return arr[arr.length + i];
  return undefined;
}
