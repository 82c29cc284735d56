import { canonicalJson } from '@watershed/model';
import type { Json } from '@watershed/store';

export interface ConfigDiff {
  added: { path: string; value: Json }[];
  removed: { path: string; value: Json }[];
  changed: { path: string; from: Json; to: Json }[];
}

/**
 * What changed from config `a` to config `b`, by path: `devices[plc].groups[fast].tags[level].max`.
 * Arrays whose items are all objects with distinct string `name`s (devices, groups, tags) are
 * matched by name, so inserting a tag shows as one addition rather than every later tag
 * "changed"; their order is not compared. Other arrays are compared by index (`x[0]`).
 * Paths are listed in the order met (keys sorted), so the same two configs give the same diff.
 */
export function diffConfigs(a: Json, b: Json): ConfigDiff {
  const out: ConfigDiff = { added: [], removed: [], changed: [] };
  walk(a, b, '', out);
  return out;
}

function walk(a: Json, b: Json, path: string, out: ConfigDiff): void {
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in b)) out.removed.push({ path: p, value: a[k]! });
      else if (!(k in a)) out.added.push({ path: p, value: b[k]! });
      else walk(a[k]!, b[k]!, p, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const an = byName(a);
    const bn = byName(b);
    if (an && bn) {
      for (const [name, av] of an) {
        const bv = bn.get(name);
        if (bv === undefined) out.removed.push({ path: `${path}[${name}]`, value: av });
        else walk(av, bv, `${path}[${name}]`, out);
      }
      for (const [name, bv] of bn) if (!an.has(name)) out.added.push({ path: `${path}[${name}]`, value: bv });
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const p = `${path}[${i}]`;
      if (i >= b.length) out.removed.push({ path: p, value: a[i]! });
      else if (i >= a.length) out.added.push({ path: p, value: b[i]! });
      else walk(a[i]!, b[i]!, p, out);
    }
    return;
  }
  if (canonicalJson(a) !== canonicalJson(b)) out.changed.push({ path, from: a, to: b });
}

function isObject(v: Json): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The items by name when every item is an object with a distinct string name; else undefined. */
function byName(items: Json[]): Map<string, Json> | undefined {
  const m = new Map<string, Json>();
  for (const item of items) {
    const name = isObject(item) ? item['name'] : undefined;
    if (typeof name !== 'string' || m.has(name)) return undefined;
    m.set(name, item);
  }
  return m;
}
