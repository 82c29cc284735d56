import type { Row } from '@watershed/rule-sql';

/**
 * EMQX-style `${path}` templates for republish topics and payloads. `${payload.values.flow}`
 * reads nested fields, `${arr[1]}` a 1-based index as in rule SQL, `${.}` the whole row.
 * Compiled once per action: the text is split into literal parts and path readers.
 */
export type Template = (row: Row) => string;

type Part = string | { readonly path: readonly (string | number)[] };

const PLACEHOLDER = /\$\{([^}]*)\}/g;

export function compileTemplate(text: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ path: parsePath(m[1]!.trim()) });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const constant = parts[0];
    return () => constant;
  }
  return (row) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : render(read(row, p.path));
    return out;
  };
}

/** Whether a template has no placeholders (its output never changes). */
export function isConstantTemplate(text: string): boolean {
  return !/\$\{[^}]*\}/.test(text);
}

function parsePath(path: string): (string | number)[] {
  if (path === '.' || path === '') return [];
  const out: (string | number)[] = [];
  for (const seg of path.split('.')) {
    const m = /^([^[\]]*)((?:\[-?\d+\])*)$/.exec(seg);
    if (!m) {
      out.push(seg);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(-?\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

function read(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[key < 0 ? v.length + key : key - 1];
    } else {
      // A payload kept as JSON text (`SELECT payload`) is read through, as EMQX does.
      if (typeof v === 'string') v = tryJson(v);
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string, unknown>)[key];
    }
  }
  return v;
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

/** Strings as they are, null/missing as empty, everything else as JSON. */
export function render(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
