import type { Logger } from '@watershed/common';
import {
  RESERVED_GROUP_NAMES,
  type SampleValue,
  type WriteRequest,
  type WriteResult,
} from '@watershed/model';
import { compileTemplate, type Action, type ActionType } from '@watershed/rule-engine';
import { EdgeErrors } from '../errors.js';
import { UpstreamActionConfig, WriteActionConfig } from './rule-config.js';

type Row = Parameters<Action['run']>[0][number];

/** What the edge actions reach in the gateway; given by the runtime. */
export interface EdgeActionContext {
  site: string;
  node: string;
  logger: Logger;
  now(): number;
  /**
   * Appends one message for the cloud to the store-and-forward buffer under the rule's own
   * stream; `payload` gets the stream's next `seq`.
   */
  upstream(ruleId: string, topic: string, payload: (seq: number) => string, ts: number): void;
  /** Carries out a write exactly as one from the console would be. */
  write(req: WriteRequest): Promise<WriteResult>;
  /** Bound on one write plus its read-back, ms (the write's deadline is now + this). */
  writeTimeoutMs: number;
}

/** A rendered upstream topic suffix must stay inside the node's space and mean nothing else there. */
function checkSuffix(suffix: string): void {
  const levels = suffix.split('/');
  if (
    suffix === '' ||
    suffix.includes('+') ||
    suffix.includes('#') ||
    levels.some((l) => l === '') ||
    RESERVED_GROUP_NAMES.includes(levels[0] ?? '') ||
    (levels.length === 2 && levels[1] === 'data')
  ) {
    throw EdgeErrors.RULE_TOPIC.create([suffix]);
  }
}

export function upstreamAction(ctx: EdgeActionContext): ActionType<UpstreamActionConfig> {
  return {
    type: 'upstream',
    description: 'Send each output row to the cloud through the store-and-forward buffer',
    configSchema: UpstreamActionConfig,
    create(config, deps) {
      const suffix =
        config.topic === undefined ? () => `rules/${deps.ruleId}` : compileTemplate(config.topic);
      return {
        run(rows) {
          for (const row of rows) {
            const s = suffix(row);
            checkSuffix(s);
            const ts = ctx.now();
            ctx.upstream(
              deps.ruleId,
              `ws/v1/${ctx.site}/${ctx.node}/${s}`,
              (seq) => JSON.stringify({ v: 1, node: ctx.node, rule: deps.ruleId, seq, ts, row }),
              ts,
            );
          }
        },
      };
    },
  };
}

export function writeAction(ctx: EdgeActionContext): ActionType<WriteActionConfig> {
  let n = 0;
  return {
    type: 'write',
    description: 'Write a value to a tag of this gateway, with its limits and a read-back',
    configSchema: WriteActionConfig,
    create(config, deps) {
      const point = `${ctx.site}.${ctx.node}.${config.group}.${config.tag}`;
      const field = config.field ?? 'value';
      return {
        async run(rows) {
          for (const row of rows) {
            const value = config.value !== undefined ? config.value : valueOf(row, field);
            if (value === undefined) throw EdgeErrors.RULE_WRITE_VALUE.create([deps.ruleId, field]);
            const result = await ctx.write({
              v: 1,
              id: `rule-${deps.ruleId}-${ctx.now()}-${n++}`,
              point,
              value,
              deadline: ctx.now() + ctx.writeTimeoutMs,
            });
            // A refused or unconfirmed write fails this action's rows (counted in the rule's metrics).
            if (!result.ok) throw new Error(`${result.code ?? 'write failed'}: ${result.message ?? ''}`);
            ctx.logger.info(
              { rule: deps.ruleId, point, value, readBack: result.readBack },
              'rule wrote a tag',
            );
          }
        },
      };
    },
  };
}

function valueOf(row: Row, field: string): SampleValue | undefined {
  const v = (row as Record<string, unknown>)[field];
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' || v === null
    ? v
    : undefined;
}
