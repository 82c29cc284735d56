import { Type, type Static } from 'typebox';

/**
 * Request and response shapes of `/api/v1/rules` (they feed the OpenAPI document). A rule is
 * stored in `store.metadata.rules` with {@link StoredDefinition} as its `definition`.
 */

export const RuleAction = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      description: 'republish | sink | console; the other fields are that type’s config',
    }),
  },
  {
    additionalProperties: true,
    description:
      'e.g. { type: "republish", topic: "alerts/${node}", qos: 1 } or { type: "sink", sink: "store" }',
  },
);

export const RuleEventTime = Type.Object(
  {
    field: Type.String({ minLength: 1, description: 'where the event time is, e.g. payload.ts' }),
    lateToleranceMs: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

const definitionFields = {
  sql: Type.String({
    minLength: 1,
    description: 'rule SQL, e.g. SELECT payload.values.flow AS flow FROM "ws/v1/+/+/+/data" WHERE …',
  }),
  actions: Type.Optional(Type.Array(RuleAction, { maxItems: 32 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  eventTime: Type.Optional(RuleEventTime),
};

/** The `definition` JSON of a stored rule. */
export const StoredDefinition = Type.Object({
  sql: Type.String(),
  actions: Type.Array(RuleAction),
  description: Type.Optional(Type.String()),
  eventTime: Type.Optional(RuleEventTime),
  /** `config`: seeded once from the server's config file; `api`: created through the console. */
  origin: Type.Union([Type.Literal('api'), Type.Literal('config')]),
});
export type StoredDefinition = Static<typeof StoredDefinition>;

const RuleId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$',
  description: 'letters, digits and _ . : - (at most 128); chosen by the server when omitted',
});

export const CreateRuleBody = Type.Object(
  {
    id: Type.Optional(RuleId),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'unique within the project' }),
    /** Only for installation-wide principals; others create in their own project. */
    project: Type.Optional(Type.String({ minLength: 1 })),
    enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
    ...definitionFields,
  },
  { additionalProperties: false },
);
export type CreateRuleBody = Static<typeof CreateRuleBody>;

export const UpdateRuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    enabled: Type.Optional(Type.Boolean({ description: 'unchanged when omitted' })),
    revision: Type.Optional(
      Type.Integer({ minimum: 1, description: 'the revision this change is based on (or If-Match)' }),
    ),
    ...definitionFields,
  },
  { additionalProperties: false },
);
export type UpdateRuleBody = Static<typeof UpdateRuleBody>;

export const RuleParams = Type.Object({ id: Type.String() });

export const RuleListQuery = Type.Object({
  project: Type.Optional(Type.String({ description: 'installation-wide principals only' })),
  enabled: Type.Optional(Type.Boolean()),
});

export const RuleProblem = Type.Object({
  code: Type.String(),
  message: Type.String(),
  path: Type.Optional(Type.String({ description: 'which part, e.g. sql or actions.1' })),
  line: Type.Optional(Type.Integer({ description: '1-based' })),
  column: Type.Optional(Type.Integer({ description: '1-based' })),
  expected: Type.Optional(Type.String()),
  hint: Type.Optional(Type.String()),
});

/** The 400 answer to a rule that cannot run: nothing was stored or changed. */
export const RuleInvalidBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    problems: Type.Optional(Type.Array(RuleProblem, { description: 'with WS_ERR_RULE_INVALID' })),
  },
  {
    description:
      'WS_ERR_RULE_INVALID with every problem found (SQL errors with their position), or another WS_ERR_* 400',
  },
);

const LastError = Type.Object({ reason: Type.String(), at: Type.Number() });

export const RuleMetricsSummary = Type.Object({
  matched: Type.Number(),
  passed: Type.Number(),
  noResult: Type.Number(),
  failed: Type.Number(),
  actionsFailed: Type.Number({ description: 'rows any action of the rule failed to hand on' }),
  ratePerSecond: Type.Number(),
});

export const RuleMetrics = Type.Object({
  matched: Type.Number(),
  passed: Type.Number(),
  noResult: Type.Number({ description: 'filtered by WHERE, or FOREACH gave nothing' }),
  failed: Type.Number(),
  failedByReason: Type.Record(Type.String(), Type.Number()),
  rowsOut: Type.Number(),
  windowsEmitted: Type.Number(),
  ratePerSecond: Type.Number({ description: 'messages matched per second over the last minute' }),
  latencyMs: Type.Optional(
    Type.Object({
      count: Type.Number(),
      mean: Type.Number(),
      p50: Type.Number(),
      p99: Type.Number(),
      max: Type.Number(),
    }),
  ),
  lastError: Type.Optional(LastError),
  actions: Type.Array(
    Type.Object({
      index: Type.Integer(),
      type: Type.String(),
      success: Type.Number(),
      failed: Type.Number(),
      lastError: Type.Optional(LastError),
    }),
  ),
});

export const RuleView = Type.Object({
  id: Type.String(),
  project: Type.String(),
  name: Type.String(),
  enabled: Type.Boolean(),
  revision: Type.Integer({ description: 'send it back (If-Match or revision) to change the rule' }),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
  origin: Type.Union([Type.Literal('api'), Type.Literal('config')]),
  sql: Type.String(),
  actions: Type.Array(RuleAction),
  description: Type.Optional(Type.String()),
  eventTime: Type.Optional(RuleEventTime),
  state: Type.Union([Type.Literal('running'), Type.Literal('stopped'), Type.Literal('error')]),
  error: Type.Optional(RuleProblem),
  metrics: RuleMetricsSummary,
});
export type RuleView = Static<typeof RuleView>;

export const RuleList = Type.Object({ items: Type.Array(RuleView) });

const TestContext = Type.Object(
  {
    topic: Type.Optional(Type.String()),
    payload: Type.Optional(Type.Unknown({ description: 'text, or a JSON value' })),
    qos: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 })),
    retain: Type.Optional(Type.Boolean()),
    clientid: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    peerhost: Type.Optional(Type.String()),
    timestamp: Type.Optional(Type.Number()),
    node: Type.Optional(Type.String()),
    event: Type.Optional(Type.String({ description: 'for $events rules, e.g. client.connected' })),
    user_properties: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: true, description: 'one sample message or event, as a rule sees it' },
);

export const RuleTestBody = Type.Object(
  {
    sql: Type.String({ minLength: 1 }),
    actions: Type.Optional(Type.Array(RuleAction, { maxItems: 32 })),
    eventTime: Type.Optional(RuleEventTime),
    context: Type.Union([TestContext, Type.Array(TestContext, { minItems: 1, maxItems: 1000 })]),
    project: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const RuleTestReply = Type.Object({
  ok: Type.Boolean(),
  matched: Type.Boolean({ description: 'whether FROM matches the context topics' }),
  rows: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  errors: Type.Array(RuleProblem),
  actions: Type.Array(
    Type.Object({
      index: Type.Integer(),
      type: Type.String(),
      effects: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
        description: 'what the action would do with each row; nothing is sent',
      }),
      problem: Type.Optional(RuleProblem),
    }),
  ),
});
