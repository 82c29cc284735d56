import { Name, SampleValue } from '@watershed/model';
import { Type, type Static } from 'typebox';

/**
 * `upstream`: each output row goes to the cloud on `ws/v1/{site}/{node}/{topic}` through the
 * store-and-forward buffer, like the gateway's own data: kept through outages and restarts, in
 * order, with a per-rule `seq`.
 */
export const UpstreamActionConfig = Type.Object(
  {
    type: Type.Literal('upstream'),
    /**
     * Topic under the gateway's own space, a template over the row (`alerts/${tag}`); default
     * `rules/{rule id}`. Must not be `mgmt/…` nor `{group}/data`, which mean something else.
     */
    topic: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type UpstreamActionConfig = Static<typeof UpstreamActionConfig>;

/**
 * `write`: writes a value to a tag of this gateway, through the same path as a write from the
 * console (writable tag, type, write limits, driver write, read-back compared), once per row.
 */
export const WriteActionConfig = Type.Object(
  {
    type: Type.Literal('write'),
    group: Name,
    tag: Name,
    /** A fixed value to write; otherwise the row's column named by `field`. */
    value: Type.Optional(SampleValue),
    /** Row column holding the value; default `value`. */
    field: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type WriteActionConfig = Static<typeof WriteActionConfig>;

/** The rule engine's `console` action: logs each row (for trying a rule out on site). */
export const LogActionConfig = Type.Object({ type: Type.Literal('console') }, { additionalProperties: true });

export const EdgeActionConfig = Type.Union([UpstreamActionConfig, WriteActionConfig, LogActionConfig]);
export type EdgeActionConfig = Static<typeof EdgeActionConfig>;

/**
 * A rule run on the gateway by the shared rule engine, over the gateway's own samples:
 * `samples/{group}` carries one poll of a group as `{tag: value, …}` (engineering units, null
 * when bad), `samples/{group}/{tag}` one tag as `{value, quality, ts}`; the message's
 * `timestamp` is the poll's time. E.g.
 * `SELECT avg(payload.flow) AS flow FROM "samples/inlet" GROUP BY TUMBLINGWINDOW(ss, 60)`.
 */
export const EdgeRuleConfig = Type.Object(
  {
    id: Name,
    sql: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    enabled: Type.Optional(Type.Boolean()),
    actions: Type.Array(EdgeActionConfig, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type EdgeRuleConfig = Static<typeof EdgeRuleConfig>;
