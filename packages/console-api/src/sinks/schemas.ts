import { Type } from 'typebox';

export const SinkHealth = Type.Object({
  state: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('degraded')]),
  detail: Type.Optional(Type.String()),
  alarm: Type.Boolean({ description: 'rows are being dropped: the disk queue is full' }),
  failures: Type.Integer({ description: 'consecutive failed attempts of the current batch' }),
  lastError: Type.Optional(Type.String()),
});

export const SinkMetrics = Type.Object(
  {
    matched: Type.Number(),
    success: Type.Number(),
    failed: Type.Number(),
    dropped: Type.Number(),
    queued: Type.Number(),
    inflight: Type.Number(),
    queuedMemory: Type.Number(),
    queuedDisk: Type.Number(),
    diskBytes: Type.Number(),
    recovered: Type.Number(),
    retries: Type.Number(),
    batches: Type.Number(),
  },
  {
    description:
      'rows since the sink was (re)started; matched = success + failed + dropped + queued + inflight',
  },
);

const SinkConfigBody = Type.Record(Type.String(), Type.Unknown(), {
  description:
    "the type's own fields (url, headers …) and the common ones (batch, queue, retry, closeTimeoutMs); " +
    'secrets are shown as ****** and a ****** sent back keeps the stored value',
});

export const SinkView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  origin: Type.Union([Type.Literal('file'), Type.Literal('api')], {
    description: 'file: from the server config file, read-only; api: made through the console',
  }),
  project: Type.Optional(
    Type.String({ description: 'owner of an api sink; file sinks are installation-wide' }),
  ),
  enabled: Type.Boolean(),
  revision: Type.Optional(Type.Integer({ description: 'of an api sink: send it back when changing it' })),
  createdAt: Type.Optional(Type.Number()),
  updatedAt: Type.Optional(Type.Number()),
  config: Type.Optional(SinkConfigBody),
  health: SinkHealth,
  metrics: SinkMetrics,
  rules: Type.Array(Type.String(), {
    description: 'ids of the rules (of the caller’s project) with an action writing to this sink',
  }),
});

export const SinkList = Type.Object({ items: Type.Array(SinkView) });
export const SinkParams = Type.Object({ id: Type.String() });
export const SinkListQuery = Type.Object({
  project: Type.Optional(Type.String({ description: 'installation-wide principals only' })),
});

const SinkId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  description: 'unique sink id: letters, digits, _ . - (rules name it: { type: sink, sink: <id> })',
});

export const CreateSinkBody = Type.Object(
  {
    id: SinkId,
    type: Type.String({ minLength: 1, description: 'a type of GET /sink-types' }),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    config: SinkConfigBody,
    project: Type.Optional(Type.String({ description: 'installation-wide principals only' })),
  },
  { additionalProperties: false },
);

export const UpdateSinkBody = Type.Object(
  {
    type: Type.Optional(Type.String({ description: 'if given, must be the sink’s type' })),
    enabled: Type.Optional(Type.Boolean()),
    config: SinkConfigBody,
    revision: Type.Optional(
      Type.Integer({ minimum: 1, description: 'the revision the change is based on; 409 when stale' }),
    ),
  },
  { additionalProperties: false },
);

export const SinkProblem = Type.Object({
  path: Type.String({ description: 'JSON pointer into config, e.g. /url' }),
  message: Type.String(),
});

export const SinkInvalidBody = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    problems: Type.Optional(Type.Array(SinkProblem, { description: 'with WS_ERR_SINK_INVALID' })),
  },
  { description: 'WS_ERR_SINK_INVALID with every problem found by path, or another WS_ERR_* 400' },
);

const TimeoutMs = Type.Integer({ minimum: 100, maximum: 60_000, default: 5_000 });

export const SinkTestBody = Type.Object(
  {
    type: Type.String({ minLength: 1 }),
    config: SinkConfigBody,
    timeoutMs: Type.Optional(TimeoutMs),
  },
  { additionalProperties: false },
);

export const StoredSinkTestBody = Type.Object(
  {
    config: Type.Optional(SinkConfigBody),
    timeoutMs: Type.Optional(TimeoutMs),
  },
  { additionalProperties: false, description: 'without config, the sink’s saved config is tested' },
);

export const SinkTestReply = Type.Object({
  ok: Type.Boolean(),
  ms: Type.Number(),
  detail: Type.String({ description: '`connected`, or the peer’s own error' }),
});

export const SinkTypeList = Type.Object({
  items: Type.Array(
    Type.Object({
      type: Type.String(),
      description: Type.String(),
      schema: Type.Unknown({ description: 'JSON schema of config' }),
    }),
  ),
});

export const SinkRemoved = Type.Object({
  discarded: Type.Integer({ description: 'rows still queued that were thrown away with the sink' }),
});
