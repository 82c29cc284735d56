import { EvalFault } from '../errors.js';
import { equals, getIndex, getKey, requireInt, requireString, show, typeName } from '../values.js';
import { toStr } from './convert.js';
import { scalar, type FunctionTable } from './registry.js';

/** JSON, map and array functions (EMQX "Map functions", "Array functions", json_encode/decode). */
function requireArray(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new EvalFault(`${what} expects an array, got ${typeName(v)} ${show(v)}`);
}

function requireMap(v: unknown, what: string): Record<string, unknown> {
  if (typeName(v) === 'object') return v as Record<string, unknown>;
  // EMQX accepts a JSON text wherever a map is expected.
  if (typeof v === 'string') {
    const decoded = decodeJson(v);
    if (typeName(decoded) === 'object') return decoded as Record<string, unknown>;
  }
  throw new EvalFault(`${what} expects a map, got ${typeName(v)} ${show(v)}`);
}

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `a.b[1]` style key paths as map_get/map_put accept them (EMQX nested keys). */
function keyPath(key: unknown): string[] {
  return requireString(key, 'map key').split('.');
}

function putPath(
  map: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return map;
  const inner =
    rest.length === 0
      ? value
      : putPath(typeName(map[head]) === 'object' ? (map[head] as Record<string, unknown>) : {}, rest, value);
  return { ...map, [head]: inner };
}

export const collectionFunctions: FunctionTable = {
  json_encode: scalar(1, 1, ['any'], 'string', ([v]) => JSON.stringify(v ?? null)),
  json_decode: scalar(1, 1, ['string'], 'any', ([s]) => {
    const text = requireString(
      typeof s === 'object' && s instanceof Uint8Array ? toStr(s) : s,
      'json_decode',
    );
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new EvalFault(`json_decode: invalid JSON ${show(text)}: ${(err as Error).message}`);
    }
  }),
  map_get: scalar(2, 3, ['string', 'any', 'any'], 'any', ([key, map, dflt]) => {
    let cur: unknown = requireMap(map, 'map_get');
    for (const k of keyPath(key)) cur = getKey(cur, k);
    return cur === undefined ? (dflt ?? null) : cur;
  }),
  map_put: scalar(3, 3, ['string', 'any', 'any'], 'object', ([key, value, map]) =>
    putPath(requireMap(map, 'map_put'), keyPath(key), value),
  ),
  map_keys: scalar(1, 1, ['any'], 'array', ([map]) => Object.keys(requireMap(map, 'map_keys'))),
  map_values: scalar(1, 1, ['any'], 'array', ([map]) => Object.values(requireMap(map, 'map_values'))),
  mget: scalar(
    2,
    2,
    ['string', 'object'],
    'any',
    ([key, map]) => getKey(requireMap(map, 'mget'), requireString(key, 'mget')) ?? null,
  ),
  /** 1-based like every EMQX index; negative counts from the end. */
  nth: scalar(2, 2, ['number', 'array'], 'any', ([n, arr]) => {
    const list = requireArray(arr, 'nth');
    const i = requireInt(n, 'nth');
    if (i === 0 || Math.abs(i) > list.length)
      throw new EvalFault(`nth: index ${i} out of range 1..${list.length}`);
    return getIndex(list, i);
  }),
  length: scalar(1, 1, ['any'], 'number', ([v]) => {
    if (Array.isArray(v)) return v.length;
    if (typeof v === 'string') return [...v].length;
    if (typeName(v) === 'object') return Object.keys(v as object).length;
    throw new EvalFault(`length expects an array, string or map, got ${typeName(v)} ${show(v)}`);
  }),
  contains: scalar(2, 2, ['any', 'array'], 'bool', ([item, arr]) =>
    requireArray(arr, 'contains').some((x) => equals(x, item)),
  ),
  first: scalar(1, 1, ['array'], 'any', ([arr]) => requireArray(arr, 'first')[0] ?? null),
  last: scalar(1, 1, ['array'], 'any', ([arr]) => requireArray(arr, 'last').at(-1) ?? null),
  sublist: scalar(2, 3, ['number', 'any', 'any'], 'array', ([a, b, c]) => {
    // EMQX: sublist(len, list) or sublist(start, len, list); start is 1-based.
    if (c === undefined) return requireArray(b, 'sublist').slice(0, requireInt(a, 'sublist length'));
    const start = requireInt(a, 'sublist start');
    return requireArray(c, 'sublist').slice(start - 1, start - 1 + requireInt(b, 'sublist length'));
  }),
};
