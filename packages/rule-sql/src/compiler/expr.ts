import type { BinaryOp, CallExpr, Expr, IdentExpr } from '../ast.js';
import type { CheckedRule } from '../checker.js';
import { rawPayload, type Frame } from '../context.js';
import { EvalFault } from '../errors.js';
import type { FnEnv } from '../functions/registry.js';
import { topicMatches } from '../topic.js';
import { arithmetic, equals, getIndex, getKey, isNullish, isTrue, order, show, typeName } from '../values.js';

/** A compiled expression: a closure over a frame. No eval, no `new Function`. */
export type Closure = (f: Frame) => unknown;

function requireBool(v: unknown, op: string): boolean | null {
  if (typeof v === 'boolean') return v;
  if (isNullish(v)) return null;
  throw new EvalFault(`${op} needs booleans, got ${typeName(v)} ${show(v)}`);
}

/** Turns checked expressions into closures; name resolution was settled by the checker. */
export class ExprCompiler {
  readonly #rule: CheckedRule;
  readonly #env: FnEnv;

  constructor(rule: CheckedRule, env: FnEnv) {
    this.#rule = rule;
    this.#env = env;
  }

  compile(e: Expr): Closure {
    switch (e.kind) {
      case 'literal': {
        const v = e.value;
        return () => v;
      }
      case 'star':
        return () => true;
      case 'ident':
        return this.#ident(e);
      case 'member': {
        const obj = this.#object(e.object);
        const key = e.key;
        return (f) => getKey(obj(f), key);
      }
      case 'index': {
        const obj = this.#object(e.object);
        const idx = this.compile(e.index);
        return (f) => getIndex(obj(f), idx(f));
      }
      case 'unary': {
        const operand = this.compile(e.operand);
        if (e.op === 'not') {
          return (f) => {
            const b = requireBool(operand(f), 'NOT');
            return b === null ? null : !b;
          };
        }
        return (f) => arithmetic('-', 0, operand(f));
      }
      case 'binary':
        return this.#binary(e.op, this.compile(e.left), this.compile(e.right));
      case 'in': {
        const value = this.compile(e.value);
        const list = e.list.map((x) => this.compile(x));
        const negated = e.negated;
        return (f) => {
          const v = value(f);
          return list.some((x) => equals(v, x(f))) !== negated;
        };
      }
      case 'case': {
        const subject = e.subject ? this.compile(e.subject) : undefined;
        const whens = e.whens.map((w) => ({ when: this.compile(w.when), then: this.compile(w.then) }));
        const otherwise = e.otherwise ? this.compile(e.otherwise) : () => null;
        return (f) => {
          const s = subject?.(f);
          for (const w of whens) {
            if (subject ? equals(s, w.when(f)) : isTrue(w.when(f))) return w.then(f);
          }
          return otherwise(f);
        };
      }
      case 'call':
        return this.#call(e);
    }
  }

  /** The object of `.key`/`[i]`: a path under `payload` reads the decoded payload, lazily. */
  #object(e: Expr): Closure {
    if (e.kind === 'ident' && this.#rule.idents.get(e)?.kind === 'payload') return (f) => f.payload();
    return this.compile(e);
  }

  #ident(e: IdentExpr): Closure {
    const res = this.#rule.idents.get(e);
    switch (res?.kind) {
      case 'payload':
        return (f) => rawPayload(f.ctx.payload);
      case 'alias': {
        const name = res.name;
        return (f) => f.out[name];
      }
      case 'item':
        return (f) => f.item;
      case 'field': {
        const name = res.name;
        return (f) => f.ctx[name];
      }
      default:
        throw new Error(`unresolved name ${e.name}`);
    }
  }

  #binary(op: BinaryOp, l: Closure, r: Closure): Closure {
    switch (op) {
      case 'and':
        return (f) => {
          if (requireBool(l(f), 'AND') !== true) return false;
          return requireBool(r(f), 'AND') === true;
        };
      case 'or':
        return (f) => requireBool(l(f), 'OR') === true || requireBool(r(f), 'OR') === true;
      case '=':
        return (f) => equals(l(f), r(f));
      case '!=':
        return (f) => !equals(l(f), r(f));
      case '<':
        return (f) => (order(l(f), r(f)) ?? NaN) < 0;
      case '<=':
        return (f) => (order(l(f), r(f)) ?? NaN) <= 0;
      case '>':
        return (f) => (order(l(f), r(f)) ?? NaN) > 0;
      case '>=':
        return (f) => (order(l(f), r(f)) ?? NaN) >= 0;
      case '=~':
        return (f) => {
          const topic = l(f);
          const filter = r(f);
          return typeof topic === 'string' && typeof filter === 'string' && topicMatches(filter, topic);
        };
      default:
        return (f) => arithmetic(op, l(f), r(f));
    }
  }

  #slot(e: CallExpr): number {
    const slot = this.#rule.slots.get(e);
    if (slot === undefined) throw new Error(`unchecked call ${e.name}`);
    return slot;
  }

  #call(e: CallExpr): Closure {
    const def = this.#rule.calls.get(e);
    if (def === 'window_start') return (f) => f.window?.start ?? null;
    if (def === 'window_end') return (f) => f.window?.end ?? null;
    if (def === undefined) throw new Error(`unresolved function ${e.name}`);
    if (def.kind === 'aggregate') {
      const index = this.#slot(e);
      return (f) => f.aggs[index];
    }
    if (def.kind === 'analytic') {
      const slot = this.#slot(e);
      return (f) => f.analytic[slot];
    }
    const args = e.args.map((a) => this.compile(a));
    const impl = def.impl;
    const env = this.#env;
    const name = e.name;
    return (f) => {
      const values = args.map((a) => a(f));
      try {
        return impl(values, env);
      } catch (err) {
        if (err instanceof EvalFault) throw err;
        throw new EvalFault(`${name}(): ${(err as Error).message}`);
      }
    };
  }
}
