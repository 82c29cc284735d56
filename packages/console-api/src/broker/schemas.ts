import { Type, type Static } from 'typebox';

/** Schemas of `/api/v1/broker/…`; they are the OpenAPI description and the BrokerOperations types. */

const Offset = Type.Optional(Type.Integer({ minimum: 0, description: 'skip this many matches (default 0)' }));
const Limit = Type.Optional(
  Type.Integer({ minimum: 1, maximum: 1000, description: 'page size (default 50, at most 1000)' }),
);
const Ms = (description: string) => Type.Number({ description });

const ProtocolVersion = Type.Union([Type.Literal(3), Type.Literal(4), Type.Literal(5)], {
  description: 'MQTT protocol level from CONNECT: 3 = 3.1, 4 = 3.1.1, 5 = 5.0',
});
const QoS = Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)]);

const pageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) =>
  Type.Object(
    {
      total: Type.Integer({ description: 'matches in all' }),
      offset: Type.Integer(),
      limit: Type.Integer(),
      items: Type.Array(item),
    },
    { description },
  );

export const ClientSummary = Type.Object({
  clientId: Type.String(),
  username: Type.Optional(Type.String()),
  peer: Type.Optional(Type.String({ description: 'remote address' })),
  listener: Type.Optional(Type.String()),
  protocolVersion: ProtocolVersion,
  connectedAt: Type.Optional(Ms('ms epoch of the accepted CONNECT')),
  subscriptions: Type.Integer(),
  inflight: Type.Integer({ description: 'QoS 1/2 messages sent and not yet acknowledged' }),
  queued: Type.Integer({ description: 'messages waiting to be sent' }),
  bytesIn: Type.Number({
    description: 'MQTT bytes received from the client (TLS/WebSocket framing not counted)',
  }),
  bytesOut: Type.Number({ description: 'MQTT bytes sent to the client' }),
  packetsIn: Type.Number({ description: 'MQTT packets received from the client' }),
  packetsOut: Type.Number({ description: 'MQTT packets sent to the client' }),
});
export type ClientSummary = Static<typeof ClientSummary>;

export const Subscription = Type.Object({
  clientId: Type.String(),
  filter: Type.String({ description: 'as the client sent it, $share/{group}/ included' }),
  shareGroup: Type.Optional(Type.String()),
  qos: QoS,
  noLocal: Type.Boolean(),
  retainAsPublished: Type.Boolean(),
  subscriptionId: Type.Optional(Type.Integer()),
  online: Type.Boolean({ description: 'false for a persistent session whose client is away' }),
});
export type Subscription = Static<typeof Subscription>;

export const ClientDetails = Type.Object({
  ...ClientSummary.properties,
  keepalive: Type.Optional(Type.Integer({ description: 'seconds; 0 = none' })),
  cleanStart: Type.Optional(Type.Boolean()),
  sessionExpiryInterval: Type.Integer({ description: 'seconds; 4294967295 = never expires' }),
  pendingReleases: Type.Integer({ description: 'QoS 2 messages received, PUBREL awaited' }),
  hasWill: Type.Boolean(),
  superuser: Type.Boolean(),
  subscriptionList: Type.Array(Subscription),
});
export type ClientDetails = Static<typeof ClientDetails>;

export const RetainedMessage = Type.Object({
  topic: Type.String(),
  qos: QoS,
  size: Type.Integer({ description: 'payload bytes' }),
  preview: Type.String({ description: 'the first 256 bytes, as text when UTF-8, else base64' }),
  previewEncoding: Type.Union([Type.Literal('utf8'), Type.Literal('base64')]),
  truncated: Type.Boolean(),
  clientId: Type.Optional(Type.String({ description: 'publisher' })),
  contentType: Type.Optional(Type.String()),
  receivedAt: Ms('ms epoch the broker accepted it'),
});
export type RetainedMessage = Static<typeof RetainedMessage>;

export const BrokerListener = Type.Object({
  name: Type.Optional(Type.String()),
  type: Type.Union([Type.Literal('tcp'), Type.Literal('tls'), Type.Literal('ws'), Type.Literal('wss')]),
  host: Type.String(),
  port: Type.Integer(),
  connections: Type.Integer({
    description: 'clients connected through it (unnamed listeners share one count)',
  }),
});
export type BrokerListener = Static<typeof BrokerListener>;

export const Ban = Type.Object({
  id: Type.String(),
  source: Type.Union([Type.Literal('operator'), Type.Literal('config'), Type.Literal('flapping')], {
    description: 'operator bans are editable here; config and flapping bans are read-only',
  }),
  clientId: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  peer: Type.Optional(Type.String({ description: 'address or CIDR block' })),
  reason: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.Optional(Ms('ms epoch')),
  until: Type.Optional(Ms('ms epoch it ends; absent = permanent')),
});
export type Ban = Static<typeof Ban>;

export const NewBan = Type.Object(
  {
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 65535 })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 65535 })),
    peer: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'address or CIDR block' })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    until: Type.Optional(Type.Integer({ description: 'ms epoch it ends' })),
    durationS: Type.Optional(Type.Integer({ minimum: 1, description: 'or: seconds from now' })),
  },
  {
    additionalProperties: false,
    description: 'every field given must match; at least one of clientId, username, peer',
  },
);
export type NewBan = Static<typeof NewBan>;

export const BanCreated = Type.Object({
  ban: Ban,
  kicked: Type.Array(Type.String(), { description: 'client ids the ban disconnected at once' }),
});
export type BanCreated = Static<typeof BanCreated>;

export const RateSample = Type.Object({
  ts: Ms('ms epoch of the end of the second'),
  clients: Type.Integer(),
  messagesIn: Type.Number({ description: 'per second' }),
  messagesOut: Type.Number({ description: 'per second' }),
  dropped: Type.Number({ description: 'per second' }),
});
export type RateSample = Static<typeof RateSample>;

export const BrokerStats = Type.Object({
  current: Type.Object({
    clients: Type.Integer(),
    subscriptions: Type.Integer(),
    retained: Type.Integer(),
    messagesIn: Type.Number({ description: 'since start' }),
    messagesOut: Type.Number({ description: 'since start' }),
    dropped: Type.Number({ description: 'since start' }),
    bytesIn: Type.Number({ description: 'MQTT bytes received from clients since start' }),
    bytesOut: Type.Number({ description: 'MQTT bytes sent to clients since start' }),
    packetsIn: Type.Number({ description: 'since start' }),
    packetsOut: Type.Number({ description: 'since start' }),
    bans: Type.Integer(),
    rate: Type.Optional(RateSample),
  }),
  history: Type.Array(RateSample, { description: 'one sample per second, oldest first, up to 15 minutes' }),
});
export type BrokerStats = Static<typeof BrokerStats>;

export const ClientList = pageOf(ClientSummary, 'connected clients by client id');
export type ClientList = Static<typeof ClientList>;
export const SubscriptionList = pageOf(Subscription, 'subscriptions by client id and filter');
export type SubscriptionList = Static<typeof SubscriptionList>;
export const RetainedList = pageOf(RetainedMessage, 'retained messages by topic');
export type RetainedList = Static<typeof RetainedList>;
export const ListenerList = Type.Object({ items: Type.Array(BrokerListener) });
export const BanList = Type.Object({ items: Type.Array(Ban) });

export const ClientQuery = Type.Object({
  q: Type.Optional(Type.String({ description: 'substring of client id, username or peer address' })),
  listener: Type.Optional(Type.String()),
  sort: Type.Optional(
    Type.Union(
      ['clientId', 'connectedAt', 'bytesIn', 'bytesOut', 'packetsIn', 'packetsOut'].map((k) =>
        Type.Literal(k),
      ),
      { description: 'sort key (default clientId); ties by client id' },
    ),
  ),
  order: Type.Optional(
    Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
      description: 'default asc for clientId, desc (largest first) for the others',
    }),
  ),
  offset: Offset,
  limit: Limit,
});
export type ClientQuery = Static<typeof ClientQuery>;
export const SubscriptionQuery = Type.Object({
  filter: Type.Optional(Type.String({ description: 'substring of the filter' })),
  clientId: Type.Optional(Type.String()),
  offset: Offset,
  limit: Limit,
});
export type SubscriptionQuery = Static<typeof SubscriptionQuery>;
export const RetainedQuery = Type.Object({
  topic: Type.Optional(Type.String({ description: 'MQTT topic filter, wildcards allowed (default #)' })),
  offset: Offset,
  limit: Limit,
});
export type RetainedQuery = Static<typeof RetainedQuery>;
export const RetainedTopicQuery = Type.Object({ topic: Type.String({ minLength: 1 }) });
export const KickQuery = Type.Object({
  discardSession: Type.Optional(Type.Boolean({ description: 'end the session too (default false)' })),
  reason: Type.Optional(Type.String({ maxLength: 200, description: 'MQTT 5 DISCONNECT reason string' })),
});
export const StatsQuery = Type.Object({
  since: Type.Optional(Type.Number({ description: 'only history samples after this ms epoch' })),
});
export const ClientParams = Type.Object({ id: Type.String() });
export const BanParams = Type.Object({ id: Type.String() });

export * from './security-schemas.js';
