import { compileRule, type CompileOptions } from './index.js';
import type { MessageContext } from './context.js';
import { RuleSqlError } from './errors.js';

/** Test helpers (not exported from the package): evaluate one expression against one message. */
export const message: MessageContext = {
  topic: 't/a',
  clientid: 'c_emqx',
  username: 'emqx',
  qos: 1,
  retain: false,
  timestamp: 1_622_000_000_000,
  node: 'ws@127.0.0.1',
  payload: '{"x": 1}',
};

export function value(expr: string, payload: unknown = '{}', opts?: CompileOptions): unknown {
  const r = compileRule(`SELECT ${expr} AS v FROM "t/#"`, opts).evaluate({ ...message, payload });
  if (!r.ok) throw new Error(`evaluation failed: ${r.reason}`);
  return r.rows[0]?.['v'];
}

export function fault(expr: string, payload: unknown = '{}'): string {
  const r = compileRule(`SELECT ${expr} AS v FROM "t/#"`).evaluate({ ...message, payload });
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.rows)}`);
  return r.reason;
}

export function rejection(sql: string): RuleSqlError {
  try {
    compileRule(sql);
  } catch (err) {
    if (err instanceof RuleSqlError) return err;
    throw err;
  }
  throw new Error(`expected ${sql} to be rejected`);
}
