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
  { description: 'rows since start; matched = success + failed + dropped + queued + inflight' },
);

export const SinkView = Type.Object({
  id: Type.String(),
  type: Type.String(),
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
