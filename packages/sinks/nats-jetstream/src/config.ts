import { Type, type Static } from 'typebox';

export const StreamSettingsSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[^.*>\\s/\\\\]+$',
      description: 'stream name (no ".", "*", ">", "/", "\\" or whitespace)',
    }),
    subjects: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'subjects the stream captures; default "<subjectPrefix>.>" or "ws.>"',
      }),
    ),
    retention: Type.Union([Type.Literal('limits'), Type.Literal('interest'), Type.Literal('workqueue')], {
      default: 'limits',
      description:
        'limits: keep until a limit; interest: while consumers have not acked; workqueue: until one ack',
    }),
    storage: Type.Union([Type.Literal('file'), Type.Literal('memory')], { default: 'file' }),
    replicas: Type.Integer({ minimum: 1, maximum: 5, default: 1 }),
    maxAgeMs: Type.Integer({
      minimum: 0,
      default: 0,
      description: 'drop messages older than this; 0 = no limit',
    }),
    maxBytes: Type.Integer({ minimum: -1, default: -1, description: '-1 = no limit' }),
    maxMsgs: Type.Integer({ minimum: -1, default: -1, description: '-1 = no limit' }),
    discard: Type.Union([Type.Literal('old'), Type.Literal('new')], {
      default: 'old',
      description: 'at a limit, drop the oldest messages (old) or refuse new ones (new)',
    }),
    duplicateWindowMs: Type.Integer({
      minimum: 0,
      default: 120_000,
      description: 'how long the server remembers Nats-Msg-Id values to drop re-sent messages',
    }),
  },
  { additionalProperties: false },
);
export type StreamSettings = Static<typeof StreamSettingsSchema>;

export const NatsJetStreamSinkConfigSchema = Type.Object(
  {
    servers: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'NATS servers, e.g. ["nats://nats-1:4222", "nats://nats-2:4222"]',
    }),
    user: Type.Optional(Type.String()),
    pass: Type.Optional(Type.String()),
    token: Type.Optional(Type.String()),
    tls: Type.Optional(
      Type.Object(
        {
          ca: Type.Optional(Type.String({ description: 'PEM CA file' })),
          cert: Type.Optional(Type.String({ description: 'PEM client certificate file' })),
          key: Type.Optional(Type.String({ description: 'PEM client key file' })),
        },
        { additionalProperties: false },
      ),
    ),
    stream: StreamSettingsSchema,
    subjectPrefix: Type.String({
      default: '',
      description: 'NATS tokens put before every mapped subject, e.g. "plant7"',
    }),
    topic: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'MQTT-style topic for rows without a "topic" field; ${field} takes a row field',
      }),
    ),
    msgIdFields: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'row fields whose values make the Nats-Msg-Id; default point+ts, else a content digest',
      }),
    ),
    publishTimeoutMs: Type.Integer({ minimum: 100, default: 5_000 }),
    maxInflight: Type.Integer({
      minimum: 1,
      default: 256,
      description: 'publishes awaiting their JetStream ack at once',
    }),
  },
  { additionalProperties: false },
);
export type NatsJetStreamSinkConfig = Static<typeof NatsJetStreamSinkConfigSchema>;
