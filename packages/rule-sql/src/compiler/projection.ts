import { walk, type Expr, type SelectField } from '../ast.js';
import { rawPayload, type Frame, type MessageContext } from '../context.js';
import type { Closure, ExprCompiler } from './expr.js';

/** Writes one output field into the row being built. */
export type FieldWriter = (f: Frame) => void;

/** `a.b.c` written as nested objects, replacing non-objects on the way (EMQX nested_put). */
export function nestedPut(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = target;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const fresh: Record<string, unknown> = {};
      cur[k] = fresh;
      cur = fresh;
    } else {
      // Copy before writing: the object may be shared with the message (payload) or another row.
      const copy = { ...(next as Record<string, unknown>) };
      cur[k] = copy;
      cur = copy;
    }
  }
  cur[path.at(-1)!] = value === undefined ? null : value;
}

/** `payload.a.b` → ['payload', 'a', 'b']; undefined for anything that is not a plain name path. */
function namePath(e: Expr): string[] | undefined {
  if (e.kind === 'ident') return [e.name];
  if (e.kind === 'member') {
    const base = namePath(e.object);
    return base && [...base, e.key];
  }
  return undefined;
}

/** Every context field, payload as EMQX shows it (text), for `SELECT *`. */
export function allFields(ctx: MessageContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ctx)) if (v !== undefined) out[k] = k === 'payload' ? rawPayload(v) : v;
  return out;
}

/**
 * Compiles SELECT/DO fields. Output keys: the alias (`AS a.b` nests), else the name path for
 * plain references (`payload.x` → `{payload: {x}}`, EMQX), else the expression's source text.
 */
export function compileFields(fields: readonly SelectField[], exprs: ExprCompiler): FieldWriter[] {
  return fields.map((field): FieldWriter => {
    if (field.expr.kind === 'star') {
      return (f) => Object.assign(f.out, allFields(f.ctx));
    }
    const value: Closure = exprs.compile(field.expr);
    const path = field.alias ?? namePath(field.expr) ?? [field.text];
    if (path.length === 1) {
      const key = path[0]!;
      return (f) => {
        const v = value(f);
        f.out[key] = v === undefined ? null : v;
      };
    }
    return (f) => nestedPut(f.out, path, value(f));
  });
}

/** Whether an expression reads a SELECT alias (then WHERE must run after the projection). */
export function readsAlias(e: Expr | undefined, isAlias: (e: Expr) => boolean): boolean {
  let found = false;
  if (e) walk(e, (x) => (found ||= isAlias(x)));
  return found;
}
