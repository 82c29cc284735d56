import { HttpSinkErrors } from './errors.js';

type Part = string | { readonly path: readonly string[]; readonly filter: Filter };
type Filter = 'raw' | 'json' | 'url';

/** A compiled `${field}` template; render() is a loop over pre-split parts (no eval). */
export interface Template {
  readonly source: string;
  render(row: Readonly<Record<string, unknown>>): string;
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const FILTERS: readonly Filter[] = ['raw', 'json', 'url'];

/**
 * Compiles a template. `${point}` inserts a field (`${a.b}` a nested one), `${value|json}`
 * JSON-encodes it (quotes strings, so `{"v": ${value|json}}` stays valid JSON whatever the
 * value), `${point|url}` percent-encodes it. A missing field renders as nothing (`null` with
 * `|json`); objects render as JSON. `$${` writes a literal `${`.
 */
export function compileTemplate(source: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const m of source.matchAll(PLACEHOLDER)) {
    const at = m.index;
    if (at > 0 && source[at - 1] === '$') {
      parts.push(source.slice(last, at - 1) + m[0]);
      last = at + m[0].length;
      continue;
    }
    parts.push(source.slice(last, at));
    const [expr = '', filterName = 'raw', ...rest] = m[1]!.split('|').map((s) => s.trim());
    if (!/^[A-Za-z_$][\w$-]*(\.[\w$-]+)*$/.test(expr) || rest.length > 0) {
      throw HttpSinkErrors.TEMPLATE.create([
        JSON.stringify(source),
        `placeholder ${m[0]} is not \${field} or \${field|filter}`,
      ]);
    }
    if (!FILTERS.includes(filterName as Filter)) {
      throw HttpSinkErrors.TEMPLATE.create([
        JSON.stringify(source),
        `unknown filter ${filterName} (known: ${FILTERS.join(', ')})`,
      ]);
    }
    parts.push({ path: expr.split('.'), filter: filterName as Filter });
    last = at + m[0].length;
  }
  parts.push(source.slice(last));
  const compact = parts.filter((p) => p !== '');
  return {
    source,
    render(row) {
      let out = '';
      for (const p of compact) out += typeof p === 'string' ? p : format(lookup(row, p.path), p.filter);
      return out;
    },
  };
}

function lookup(row: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let v: unknown = row;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function format(v: unknown, filter: Filter): string {
  if (filter === 'json') return JSON.stringify(v ?? null);
  const text = typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);
  return filter === 'url' ? encodeURIComponent(text) : text;
}
