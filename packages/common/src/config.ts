import { readFileSync } from 'node:fs';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { parseDocument } from 'yaml';
import { Errors } from './errors.js';

/** One problem with a configuration value, addressed by its path (`api.port`). */
export interface ConfigIssue {
  path: string;
  value: unknown;
  expected: string;
  source?: string;
}

export interface LoadConfigOptions<S extends TSchema> {
  schema: S;
  /** YAML file; optional so a component can run on defaults and environment alone. */
  file?: string;
  /** Already-parsed object, used instead of `file` (e.g. a section of a larger file). */
  value?: unknown;
  /** Environment to overlay; `WATERSHED_API__PORT=8080` sets `api.port`. */
  env?: Record<string, string | undefined>;
  /** Only variables after this prefix are overlaid, default `WATERSHED_`. */
  envPrefix?: string;
  /** Name used in messages, e.g. the file path or 'server config'. */
  label?: string;
  /**
   * 'ignore' when the prefix is shared with other components (the server's `WATERSHED_` also
   * sees `WATERSHED_SIM__…`): an overlay naming a top-level section this schema lacks is
   * skipped. Default 'error'.
   */
  unknownSections?: 'ignore' | 'error';
}

/**
 * Loads YAML, overlays the environment, fills schema defaults and validates. Throws
 * WS_ERR_CONFIG_INVALID listing every bad value with its path, the value and what was expected.
 */
export function loadConfig<S extends TSchema>(opts: LoadConfigOptions<S>): Static<S> {
  const label = opts.label ?? opts.file ?? 'configuration';
  let raw: unknown = opts.value ?? {};
  if (opts.file !== undefined) raw = readYaml(opts.file);
  const issues: ConfigIssue[] = [];
  const env = opts.env ?? {};
  const overlaid = overlayEnv(
    opts.schema,
    raw ?? {},
    env,
    opts.envPrefix ?? 'WATERSHED_',
    issues,
    opts.unknownSections ?? 'error',
  );
  if (issues.length === 0) {
    const withDefaults = Value.Default(opts.schema, Value.Clone(overlaid));
    issues.push(...validate(opts.schema, withDefaults));
    if (issues.length === 0) return withDefaults as Static<S>;
  }
  throw Errors.CONFIG_INVALID.create([label, formatIssues(issues)], { issues });
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues
    .map(
      (i) =>
        `  - ${i.path || '(root)'}: ${i.expected}, got ${describe(i.value)}${i.source ? ` (from ${i.source})` : ''}`,
    )
    .join('\n');
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw Errors.CONFIG_READ.create([file, (err as Error).message], undefined, err);
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({
      path: `line ${e.linePos?.[0].line ?? '?'}, column ${e.linePos?.[0].col ?? '?'}`,
      value: undefined,
      expected: `valid YAML (${e.code})`,
    }));
    throw Errors.CONFIG_INVALID.create([file, formatIssues(issues)], { issues });
  }
  return doc.toJS() as unknown;
}

/** Validates a value against a schema, producing path-named issues; exported for other loaders. */
export function validate(schema: TSchema, value: unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const e of Value.Errors(schema, value)) {
    const base = pointerToPath(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const parent = subSchema(schema, base);
      const allowed = Object.keys(objectProperties(parent) ?? {}).join(', ');
      for (const key of e.params.additionalProperties) {
        const path = base ? `${base}.${key}` : key;
        out.push({ path, value: valueAt(value, path), expected: `no such key (allowed: ${allowed})` });
      }
    } else if (e.keyword === 'boolean' && isUnknownKey(schema, base)) {
      // typebox reports `additionalProperties: false` as the `false` schema failing at the key.
      const parentPath = base.split('.').slice(0, -1).join('.');
      const allowed = Object.keys(objectProperties(subSchema(schema, parentPath)) ?? {}).join(', ');
      out.push({ path: base, value: valueAt(value, base), expected: `no such key (allowed: ${allowed})` });
    } else if (e.keyword === 'required') {
      for (const key of e.params.requiredProperties) {
        out.push({ path: base ? `${base}.${key}` : key, value: undefined, expected: 'a required value' });
      }
    } else if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      out.push({ path: base, value: valueAt(value, base), expected: expectedOf(subSchema(schema, base)) });
    } else {
      out.push({
        path: base,
        value: valueAt(value, base),
        expected: expectedFrom(e.message, subSchema(schema, base)),
      });
    }
  }
  // A union reports each failed branch too; keep one issue per path, the union's own if any.
  const byPath = new Map<string, ConfigIssue>();
  for (const i of out) {
    const prev = byPath.get(i.path);
    if (!prev || i.expected.startsWith('one of')) byPath.set(i.path, i);
  }
  return [...byPath.values()];
}

function isUnknownKey(schema: TSchema, path: string): boolean {
  const segs = path.split('.');
  const key = segs.pop();
  const parent = subSchema(schema, segs.join('.')) as { properties?: object; additionalProperties?: unknown };
  return key !== undefined && parent?.additionalProperties === false && !(key in (parent.properties ?? {}));
}

function expectedFrom(message: string, schema: TSchema | undefined): string {
  const desc = schema && typeof (schema as { description?: unknown }).description === 'string';
  return desc ? `${message} (${(schema as { description: string }).description})` : message;
}

function expectedOf(schema: unknown): string {
  const s = schema as { anyOf?: { const?: unknown; type?: string }[] } | undefined;
  if (s?.anyOf?.every((b) => b.const !== undefined)) {
    return `one of ${s.anyOf.map((b) => JSON.stringify(b.const)).join(', ')}`;
  }
  if (s?.anyOf) return `one of types ${s.anyOf.map((b) => b.type ?? 'value').join(' | ')}`;
  return 'a valid value';
}

function overlayEnv(
  schema: TSchema,
  raw: unknown,
  env: Record<string, string | undefined>,
  prefix: string,
  issues: ConfigIssue[],
  unknownSections: 'ignore' | 'error',
): unknown {
  const root: Record<string, unknown> = isPlainObject(raw) ? structuredClone(raw) : {};
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith(prefix) || text === undefined) continue;
    const rest = name.slice(prefix.length);
    if (!rest.includes('__')) continue; // single-level variables (WATERSHED_LOG_LEVEL) are not overlays
    const segments = rest.split('__').filter(Boolean);
    let target = root;
    let node: TSchema | undefined = schema;
    const path: string[] = [];
    let failed = false;
    for (const [i, seg] of segments.entries()) {
      const props = objectProperties(node);
      const key = props ? matchKey(Object.keys(props), seg) : undefined;
      if (!key && i === 0 && unknownSections === 'ignore') {
        // Another component's section (WATERSHED_SIM__… seen by the server): not ours to judge.
        failed = true;
        break;
      }
      if (!key) {
        issues.push({
          path: [...path, seg.toLowerCase()].join('.'),
          value: text,
          expected: `a known key${props ? ` (allowed: ${Object.keys(props).join(', ')})` : ''}`,
          source: name,
        });
        failed = true;
        break;
      }
      path.push(key);
      node = props?.[key];
      if (i === segments.length - 1) {
        target[key] = coerce(node, text);
      } else {
        const next = target[key];
        target[key] = isPlainObject(next) ? next : {};
        target = target[key] as Record<string, unknown>;
      }
    }
    if (failed) continue;
  }
  return root;
}

/** Environment segments are upper snake case; schema keys are camelCase. */
function matchKey(keys: string[], seg: string): string | undefined {
  const norm = (s: string) => s.replace(/[_-]/g, '').toLowerCase();
  return keys.find((k) => norm(k) === norm(seg));
}

function coerce(schema: unknown, text: string): unknown {
  const type = (schema as { type?: string } | undefined)?.type;
  if (type === 'number' || type === 'integer') return text.trim() === '' ? text : Number(text);
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (type === 'array' || type === 'object') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function objectProperties(schema: unknown): Record<string, TSchema> | undefined {
  const s = schema as { type?: string; properties?: Record<string, TSchema> } | undefined;
  return s?.type === 'object' ? s.properties : undefined;
}

function subSchema(schema: TSchema, path: string): TSchema | undefined {
  if (!path) return schema;
  let node: TSchema | undefined = schema;
  for (const seg of path.split('.')) {
    const s = node as {
      properties?: Record<string, TSchema>;
      items?: TSchema;
      additionalProperties?: unknown;
    };
    if (s.properties?.[seg]) node = s.properties[seg];
    else if (s.items && /^\d+$/.test(seg)) node = s.items;
    else if (typeof s.additionalProperties === 'object') node = s.additionalProperties as TSchema;
    else return undefined;
  }
  return node;
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function valueAt(value: unknown, path: string): unknown {
  if (!path) return value;
  let v: unknown = value;
  for (const seg of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
