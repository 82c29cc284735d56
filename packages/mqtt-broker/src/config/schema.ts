import { Type, type Static } from 'typebox';
import type { AuthSourceConfig } from '../auth/schema.js';

/**
 * The broker's configuration: the one source of truth for the YAML file, the environment
 * overlay (`WATERSHED_BROKER__NODE_NAME=…`), validation and the documentation. Checks a schema
 * cannot express (TLS files present, CIDRs, hashes, dates) are made by `checkBrokerConfig`
 * and reported in the same path-named form.
 */

const port = Type.Integer({ minimum: 0, maximum: 65535, description: '0 = any free port' });
const rate = Type.Number({ exclusiveMinimum: 0 });

export const ListenerAuth = Type.Object(
  {
    allowAnonymous: Type.Boolean({
      default: false,
      description: 'accept clients that present no credentials when every source ignores them',
    }),
    // Each item is checked against the shape its `type` names by checkBrokerConfig (parseAuthSource).
    sources: Type.Array(Type.Unsafe<AuthSourceConfig>({}), {
      default: ['password'],
      description:
        'the authentication chain, asked in order; the first allow or deny wins, "ignore" passes on. "password" checks users[], "certificate" takes the verified client certificate CN (or a SAN) as the username, {type: jwt} verifies a token, {type: http} asks a service',
    }),
    enhanced: Type.Array(Type.Literal('SCRAM-SHA-256'), {
      default: [],
      description:
        'MQTT 5 enhanced authentication methods offered (CONNECT Authentication Method); SCRAM-SHA-256 uses users[].scram',
    }),
  },
  { additionalProperties: false, default: {} },
);

export const ListenerConfig = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, description: 'default "{type}:{port}"' })),
    type: Type.Union([Type.Literal('tcp'), Type.Literal('tls'), Type.Literal('ws'), Type.Literal('wss')]),
    host: Type.String({ default: '0.0.0.0' }),
    port,
    path: Type.Optional(Type.String({ pattern: '^/', description: 'WebSocket URL path, default /mqtt' })),
    certFile: Type.Optional(Type.String({ description: 'PEM certificate chain (tls, wss)' })),
    keyFile: Type.Optional(Type.String({ description: 'PEM private key (tls, wss)' })),
    caFile: Type.Optional(Type.String({ description: 'PEM CA that client certificates must chain to' })),
    requestClientCert: Type.Boolean({
      default: false,
      description: 'mutual TLS: require a client certificate signed by caFile (tls, wss)',
    }),
    auth: ListenerAuth,
    acl: Type.Object(
      {
        default: Type.Union([Type.Literal('allow'), Type.Literal('deny')], {
          default: 'allow',
          description: 'decision when no acl[] rule matches',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    maxConnections: Type.Optional(Type.Integer({ minimum: 1, description: 'open sockets at most' })),
  },
  { additionalProperties: false },
);

export const UserConfig = Type.Object(
  {
    username: Type.String({ minLength: 1 }),
    passwordHash: Type.Optional(
      Type.String({
        description:
          'scrypt$N$r$p$salt$hash or pbkdf2-sha256$iterations$salt$hash (base64), as printed by `watershed broker passwd`',
      }),
    ),
    scram: Type.Optional(
      Type.String({
        description: 'SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey, for MQTT 5 enhanced authentication',
      }),
    ),
    roles: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  },
  { additionalProperties: false },
);

export const AclRuleConfig = Type.Object(
  {
    permission: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
    action: Type.Union([Type.Literal('publish'), Type.Literal('subscribe'), Type.Literal('all')]),
    topic: Type.String({
      minLength: 1,
      description: 'topic filter; %u is the username, %c the client id',
    }),
    who: Type.Object(
      {
        username: Type.Optional(Type.String()),
        clientId: Type.Optional(Type.String()),
        role: Type.Optional(Type.String()),
        ipCidr: Type.Optional(Type.String({ description: 'e.g. 10.0.0.0/8' })),
        listener: Type.Optional(Type.String()),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export const BanConfig = Type.Object(
  {
    clientId: Type.Optional(Type.String({ minLength: 1 })),
    username: Type.Optional(Type.String({ minLength: 1 })),
    ip: Type.Optional(Type.String({ description: 'an address or a CIDR block' })),
    until: Type.Optional(Type.String({ description: 'ISO 8601 instant; absent = permanent' })),
  },
  { additionalProperties: false },
);

export const BrokerConfig = Type.Object(
  {
    nodeName: Type.String({ default: 'watershed', minLength: 1 }),
    listeners: Type.Array(ListenerConfig, {
      minItems: 1,
      // With no file the broker behaves like a fresh Mosquitto: loopback only, anonymous allowed.
      default: [{ type: 'tcp', host: '127.0.0.1', port: 1883, auth: { allowAnonymous: true } }],
    }),
    users: Type.Array(UserConfig, { default: [] }),
    acl: Type.Array(AclRuleConfig, { default: [], description: 'ordered; the first matching rule decides' }),
    limits: Type.Object(
      {
        maxPacketSize: Type.Optional(Type.Integer({ minimum: 16 })),
        maxConnections: Type.Optional(Type.Integer({ minimum: 1 })),
        maxQueuedPerClient: Type.Optional(Type.Integer({ minimum: 1 })),
        queueQos0Offline: Type.Optional(
          Type.Boolean({
            description: 'keep QoS 0 messages for offline persistent sessions (default false)',
          }),
        ),
        maxTopicLevels: Type.Optional(Type.Integer({ minimum: 1 })),
        maxInflight: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
        maxSubscriptionsPerClient: Type.Optional(Type.Integer({ minimum: 1 })),
        maxRetained: Type.Optional(Type.Integer({ minimum: 0 })),
        connectTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { additionalProperties: false, default: {} },
    ),
    rateLimits: Type.Object(
      {
        messagesPerS: Type.Optional(rate),
        bytesPerS: Type.Optional(rate),
      },
      { additionalProperties: false, default: {}, description: 'per client; excess is delayed' },
    ),
    banned: Type.Array(BanConfig, { default: [] }),
    flapping: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        maxConnects: Type.Integer({ minimum: 2, default: 15 }),
        windowS: Type.Number({ exclusiveMinimum: 0, default: 60 }),
        banS: Type.Number({ exclusiveMinimum: 0, default: 300 }),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'maxConnects CONNECTs within windowS from one client id ban it for banS',
      },
    ),
    persistence: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description:
            'keep persistent sessions, their queued/inflight messages and retained messages across restarts',
        }),
        dir: Type.Optional(
          Type.String({
            minLength: 1,
            description: 'directory of the state file mqtt-broker.db; default "data"',
          }),
        ),
        file: Type.Optional(
          Type.String({ minLength: 1, description: 'the SQLite state file itself; wins over dir' }),
        ),
        syncMode: Type.Union([Type.Literal('off'), Type.Literal('normal'), Type.Literal('full')], {
          default: 'normal',
          description:
            'normal: survives a killed broker process; full: also a power cut (an fsync per commit); off: trusts the OS',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    sysIntervalMs: Type.Integer({ minimum: 0, default: 10_000 }),
    log: Type.Object(
      { level: Type.String({ default: 'info' }) },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type BrokerConfig = Static<typeof BrokerConfig>;
export type ListenerConfig = Static<typeof ListenerConfig>;
export type UserConfig = Static<typeof UserConfig>;
export type AclRuleConfig = Static<typeof AclRuleConfig>;
export type BanConfig = Static<typeof BanConfig>;
