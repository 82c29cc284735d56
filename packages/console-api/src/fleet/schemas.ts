import { ConfigAck, EdgeReport, GroupInfo, LogTail, Name, WriteResult } from '@watershed/model';
import { Type, type Static } from 'typebox';

const JsonValue = Type.Unknown({ description: 'any JSON value' });

export const GatewayView = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    site: Name,
    node: Name,
    name: Type.String(),
    createdAt: Type.Integer(),
    credentialsIssuedAt: Type.Integer(),
    credentialsRevokedAt: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const LiveStatus = Type.Object(
  {
    online: Type.Boolean({ description: 'from its birth status and MQTT will' }),
    stale: Type.Boolean({ description: 'online but silent for longer than expected' }),
    lastSeen: Type.Optional(Type.Integer({ description: 'ms epoch of the last message heard from it' })),
    statusAt: Type.Optional(Type.Integer()),
    configVersion: Type.Optional(Type.Integer({ description: 'the config version it runs' })),
    report: Type.Optional(EdgeReport),
    catalog: Type.Optional(Type.Array(GroupInfo)),
    lastAck: Type.Optional(ConfigAck),
  },
  { additionalProperties: false },
);

export const StatusSummary = Type.Object(
  {
    online: Type.Boolean(),
    stale: Type.Boolean(),
    lastSeen: Type.Optional(Type.Integer()),
    configVersion: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const GatewayList = Type.Object({
  items: Type.Array(Type.Object({ ...GatewayView.properties, status: StatusSummary })),
});

export const GatewayDetail = Type.Object({ ...GatewayView.properties, status: LiveStatus });

export const CreateGatewayBody = Type.Object(
  {
    site: Name,
    node: { ...Name, description: 'the edge node id: its MQTT username, unique in the installation' },
    name: Type.String({ minLength: 1, maxLength: 200 }),
    project: Type.Optional(Type.String({ description: 'for installation-wide principals only' })),
  },
  { additionalProperties: false },
);

export const Credentials = Type.Object({
  gateway: GatewayView,
  mqtt: Type.Object({
    username: Type.String({ description: 'the node id' }),
    password: Type.String({ description: 'shown this once: only its hash is kept' }),
  }),
});

export const GatewayParams = Type.Object({ id: Type.String() });
export const VersionParams = Type.Object({ id: Type.String(), version: Type.Integer({ minimum: 1 }) });
export const TagParams = Type.Object({
  id: Type.String(),
  tag: Type.String({ description: 'group.tag or tag' }),
});
export const DiffQuery = Type.Object({
  from: Type.Integer({ minimum: 1 }),
  to: Type.Integer({ minimum: 1 }),
});

const AckView = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()), at: Type.Integer() });

export const ConfigSummary = Type.Object({
  node: Type.String(),
  version: Type.Integer(),
  checksum: Type.String(),
  author: Type.String(),
  createdAt: Type.Integer(),
  ack: Type.Optional(AckView),
});
export const ConfigList = Type.Object({ items: Type.Array(ConfigSummary) });
export const ConfigVersionView = Type.Object({ ...ConfigSummary.properties, config: JsonValue });

export const ConfigDiffView = Type.Object({
  from: Type.Integer(),
  to: Type.Integer(),
  added: Type.Array(Type.Object({ path: Type.String(), value: JsonValue })),
  removed: Type.Array(Type.Object({ path: Type.String(), value: JsonValue })),
  changed: Type.Array(Type.Object({ path: Type.String(), from: JsonValue, to: JsonValue })),
});

export const PushBody = Type.Object(
  {
    gateways: Type.Array(Type.String(), { minItems: 1, maxItems: 500, description: 'gateway ids' }),
    config: Type.Record(Type.String(), Type.Unknown(), {
      description: "the gateway's plant section: { devices: [...] }",
    }),
  },
  { additionalProperties: false },
);

export const PushResultView = Type.Object({
  gatewayId: Type.String(),
  node: Type.String(),
  version: Type.Integer(),
  checksum: Type.String(),
  outcome: Type.Union([
    Type.Literal('applied'),
    Type.Literal('rejected'),
    Type.Literal('rolled-back'),
    Type.Literal('ignored'),
    Type.Literal('timeout'),
    Type.Literal('queued'),
  ]),
  ack: Type.Optional(ConfigAck),
});
export const PushReply = Type.Object({ results: Type.Array(PushResultView) });

export const RollbackBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

/**
 * A written value as sent: any JSON scalar, stated without a `type` keyword. The API's Ajv
 * coerces types, and under the model's `anyOf` (SampleValue) it coerced into the first branch
 * that took the value: `true` became the number 1, `"80"` the number 80 and null 0, before the
 * tag's own type was checked. Ajv has no coercion to object or array, so this schema admits the
 * scalars untouched; the fleet service then checks the value against the tag's type.
 */
const WriteValue = Type.Unsafe<number | boolean | string | null>({
  not: { anyOf: [{ type: 'object' }, { type: 'array' }] },
  description: 'in engineering units, of the tag’s type: a number, true/false or text',
});

export const WriteBody = Type.Object(
  {
    value: WriteValue,
    confirm: Type.Optional(Type.Boolean({ description: 'must be true: a write changes the plant' })),
  },
  { additionalProperties: false },
);
export { WriteResult };

export { LogTail };

export type CreateGatewayBody = Static<typeof CreateGatewayBody>;
