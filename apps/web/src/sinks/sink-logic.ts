import { fieldsOf, type SinkField } from './sink-fields.js';
import type { SinkMetrics, SinkProblem, SinkView } from './sinks-api.js';

/** The values of a sink form, by field path; booleans for checkboxes, text for the rest. */
export type FormValues = Record<string, string | boolean>;

/** A problem found in the browser, by the same JSON pointer the server uses, in catalog words. */
export interface FormProblem {
  path: string;
  key:
    | 'sinks.check.required'
    | 'sinks.check.pattern'
    | 'sinks.check.integer'
    | 'sinks.check.mapLine'
    | 'sinks.check.id';
  params?: Record<string, string | number>;
}

/** The sink id rule of sink-core: it names a file and a metric label. */
export const SINK_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getPath(o: Obj, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split('.')) v = isObj(v) ? v[k] : undefined;
  return v;
}

function setPath(o: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) {
    if (!isObj(at[k])) at[k] = {};
    at = at[k] as Obj;
  }
  at[keys[keys.length - 1]!] = value;
}

/** Removes `path`, and the objects it leaves empty. */
function deletePath(o: Obj, path: string): void {
  const keys = path.split('.');
  const parents: [Obj, string][] = [];
  let at: unknown = o;
  for (const k of keys.slice(0, -1)) {
    if (!isObj(at)) return;
    parents.push([at, k]);
    at = at[k];
  }
  if (!isObj(at)) return;
  delete at[keys[keys.length - 1]!];
  for (const [parent, k] of parents.reverse()) {
    const child = parent[k];
    if (isObj(child) && Object.keys(child).length === 0) delete parent[k];
  }
}

/** The form's values for a config (as GET shows it: secrets are `******` and stay so). */
export function formFromConfig(type: string, config: Obj = {}): FormValues {
  const values: FormValues = {};
  for (const f of fieldsOf(type)) {
    const v = getPath(config, f.path);
    if (f.kind === 'boolean') values[f.path] = v === true;
    else if (f.kind === 'list') values[f.path] = Array.isArray(v) ? v.map(String).join(', ') : '';
    else if (f.kind === 'map')
      values[f.path] = isObj(v)
        ? Object.entries(v)
            .map(([k, x]) => `${k}: ${String(x)}`)
            .join('\n')
        : '';
    else
      values[f.path] =
        typeof v === 'string' || typeof v === 'number'
          ? String(v)
          : v === undefined || v === null
            ? ''
            : JSON.stringify(v);
  }
  return values;
}

/**
 * The config a form describes, on top of `base` (the sink's config as loaded, so fields the form
 * does not show are kept), with what the browser can tell is wrong. An empty optional field is
 * left out, so the type's default applies.
 */
export function configFromForm(
  type: string,
  values: FormValues,
  base: Obj = {},
): { config: Obj; problems: FormProblem[] } {
  const config = structuredClone(base);
  const problems: FormProblem[] = [];
  const pointer = (f: SinkField) => `/${f.path.split('.').join('/')}`;
  for (const f of fieldsOf(type)) {
    const raw = values[f.path];
    if (f.kind === 'boolean') {
      setPath(config, f.path, raw === true);
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    let value: unknown;
    if (f.kind === 'list') {
      const items = text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean);
      value = items.length > 0 ? items : undefined;
    } else if (f.kind === 'map') {
      const map: Record<string, string> = {};
      for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
        const at = line.indexOf(':');
        if (at <= 0)
          problems.push({ path: pointer(f), key: 'sinks.check.mapLine', params: { line: line.trim() } });
        else map[line.slice(0, at).trim()] = line.slice(at + 1).trim();
      }
      value = Object.keys(map).length > 0 ? map : undefined;
    } else if (text === '') {
      value = undefined;
    } else if (f.kind === 'number' || (f.kind === 'select' && typeof f.options?.[0] === 'number')) {
      const n = Number(text);
      if (!Number.isInteger(n) || (f.min !== undefined && n < f.min))
        problems.push({ path: pointer(f), key: 'sinks.check.integer', params: { min: f.min ?? 0 } });
      value = n;
    } else {
      if (f.pattern && !f.pattern.test(text))
        problems.push({
          path: pointer(f),
          key: 'sinks.check.pattern',
          params: { pattern: f.pattern.source.replaceAll('\\/', '/') },
        });
      value = text;
    }
    if (value === undefined) {
      if (f.required) problems.push({ path: pointer(f), key: 'sinks.check.required' });
      deletePath(config, f.path);
    } else setPath(config, f.path, value);
  }
  return { config, problems };
}

/** The server's problems from a refused change (WS_ERR_SINK_INVALID's body), if any. */
export function serverProblems(body: unknown): SinkProblem[] {
  const problems = isObj(body) ? body['problems'] : undefined;
  if (!Array.isArray(problems)) return [];
  return problems.filter(
    (p): p is SinkProblem => isObj(p) && typeof p['path'] === 'string' && typeof p['message'] === 'string',
  );
}

/** Problems by the field they are about; those of no field of the form under ''. */
export function problemsByField<P extends { path: string }>(
  type: string,
  problems: readonly P[],
): Map<string, P[]> {
  const known = new Set(fieldsOf(type).map((f) => `/${f.path.split('.').join('/')}`));
  known.add('/id');
  const by = new Map<string, P[]>();
  for (const p of problems) {
    const key = known.has(p.path) ? p.path : '';
    by.set(key, [...(by.get(key) ?? []), p]);
  }
  return by;
}

// ---------------------------------------------------------------- rates

export type Counted = Pick<SinkMetrics, 'matched' | 'success' | 'failed' | 'dropped' | 'queued'>;

export interface Snapshot {
  /** ms epoch of the reading. */
  at: number;
  m: Counted;
}

export interface Rates {
  matched: number;
  success: number;
  failed: number;
  dropped: number;
}

/**
 * Rows per second between two readings. Counters restart from zero when a sink is replaced or
 * the server restarts: a counter that went down counts from zero, never negative.
 */
export function ratesBetween(prev: Snapshot | undefined, cur: Snapshot): Rates {
  const dt = prev ? (cur.at - prev.at) / 1000 : 0;
  const one = (k: keyof Rates): number => {
    if (!prev || dt <= 0) return 0;
    const d = cur.m[k] - prev.m[k];
    return (d >= 0 ? d : cur.m[k]) / dt;
  };
  return { matched: one('matched'), success: one('success'), failed: one('failed'), dropped: one('dropped') };
}

/** Adds one reading per sink, keeping the last `keep`; sinks no longer listed are forgotten. */
export function addReadings(
  history: ReadonlyMap<string, readonly Snapshot[]>,
  sinks: readonly SinkView[],
  at: number,
  keep = 30,
): Map<string, Snapshot[]> {
  const next = new Map<string, Snapshot[]>();
  for (const s of sinks) {
    const { matched, success, failed, dropped, queued } = s.metrics;
    next.set(
      s.id,
      [...(history.get(s.id) ?? []), { at, m: { matched, success, failed, dropped, queued } }].slice(-keep),
    );
  }
  return next;
}

/** The success rate between successive readings: what the sparkline draws. */
export function successSeries(readings: readonly Snapshot[]): number[] {
  return readings.slice(1).map((r, i) => ratesBetween(readings[i], r).success);
}

/** SVG polyline points for `values` in a w×h box, zero at the bottom, the largest at the top. */
export function sparkPoints(values: readonly number[], w: number, h: number): string {
  if (values.length === 0) return '';
  const max = Math.max(...values, 0);
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const y = max > 0 ? h - (v / max) * h : h;
      return `${round(i * step)},${round(y)}`;
    })
    .join(' ');
}

const round = (n: number) => Math.round(n * 10) / 10;

export type SinkStatusClass = 'up' | 'down' | 'degraded' | 'disabled';

/** How the list colours a sink: stopped ones are "disabled" whatever their last health. */
export function statusOf(s: SinkView): SinkStatusClass {
  return s.enabled ? s.health.state : 'disabled';
}

/** "12.5" rows/s with sensible precision. */
export function rateText(perSecond: number): string {
  if (perSecond === 0) return '0';
  if (perSecond < 10) return perSecond.toFixed(1);
  return Math.round(perSecond).toString();
}
