/** One line of a before → after comparison: a field (dotted path) and its two values as text. */
export interface DiffLine {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

/** Nesting below this is shown as JSON text in one line rather than split further. */
const MAX_DEPTH = 4;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as the diff shows it: strings as they are (SQL, names), everything else as JSON. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}

/**
 * Flattens a value to `path → leaf`: objects by key (`limits.max`), arrays by index
 * (`tags[2].name`). An empty object or array is a leaf of its own, so `{}` → `{a: 1}` reads as
 * an added field rather than nothing.
 */
export function flatten(
  v: unknown,
  prefix = '',
  depth = 0,
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  if (depth < MAX_DEPTH && isPlainObject(v) && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix === '' ? k : `${prefix}.${k}`, depth + 1, out);
  } else if (depth < MAX_DEPTH && Array.isArray(v) && v.length > 0) {
    v.forEach((x, i) => flatten(x, `${prefix}[${i}]`, depth + 1, out));
  } else {
    out.set(prefix, v);
  }
  return out;
}

/**
 * What changed between an audit entry's `before` and `after`, field by field, in the order the
 * fields appear (before's first, then fields only after has). Unchanged fields are left out; a
 * create (no before) lists every field as added, a delete (no after) every field as removed.
 */
export function diffValues(before: unknown, after: unknown): DiffLine[] {
  const a = before === undefined ? new Map<string, unknown>() : flatten(before);
  const b = after === undefined ? new Map<string, unknown>() : flatten(after);
  const lines: DiffLine[] = [];
  for (const [path, x] of a) {
    if (!b.has(path)) lines.push({ path, kind: 'removed', before: valueText(x) });
    else {
      const y = b.get(path);
      if (JSON.stringify(x) !== JSON.stringify(y))
        lines.push({ path, kind: 'changed', before: valueText(x), after: valueText(y) });
    }
  }
  for (const [path, y] of b) if (!a.has(path)) lines.push({ path, kind: 'added', after: valueText(y) });
  return lines;
}

/** Epoch milliseconds between 2000 and 2100: what a recorded `…At` or `ts` field holds. */
const EPOCH_MS_MIN = 946_684_800_000;
const EPOCH_MS_MAX = 4_102_444_800_000;

/**
 * The instant a diff value stands for when its field is a time (`createdAt`, `expiresAt`,
 * `limits.ts` …) and it holds epoch milliseconds, so the page can show a date, not 1795848095441.
 */
export function timeOf(path: string, text: string | undefined): number | undefined {
  if (text === undefined || !/(?:At|^ts|\.ts)$/.test(path) || !/^\d{12,13}$/.test(text)) return undefined;
  const ms = Number(text);
  return ms >= EPOCH_MS_MIN && ms < EPOCH_MS_MAX ? ms : undefined;
}
