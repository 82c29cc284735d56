import { Type, type Static } from 'typebox';

const Filter = Type.String({ minLength: 1 });

export const TopicMappingSchema = Type.Object(
  {
    from: Type.String({ minLength: 1, description: 'MQTT filter the topic must match, e.g. ws/v1/#' }),
    to: Type.String({
      minLength: 1,
      description: 'replacement: each "+" takes the matched "+" level in order, a trailing "#" the rest',
    }),
  },
  { additionalProperties: false },
);

export const TlsSchema = Type.Object(
  {
    ca: Type.Optional(Type.String({ description: 'PEM file of the CA(s) that sign the remote broker' })),
    cert: Type.Optional(Type.String({ description: 'PEM client certificate file (mutual TLS)' })),
    key: Type.Optional(Type.String({ description: 'PEM private key file of the client certificate' })),
    servername: Type.Optional(Type.String({ description: 'SNI / name to verify, if not the URL host' })),
    rejectUnauthorized: Type.Boolean({
      default: true,
      description: 'verify the remote certificate (never switch off outside a lab)',
    }),
  },
  { additionalProperties: false },
);

/** How to reach the remote broker; shared by the egress sink and the ingress. */
export const MqttConnectionProperties = {
  url: Type.String({
    pattern: '^(mqtt|mqtts|tcp|ssl|tls)://',
    description: 'remote broker, e.g. mqtts://office-broker.example:8883',
  }),
  clientId: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'client id at the remote; stable, so the remote keeps our session (clean session false)',
  }),
  protocolVersion: Type.Union([Type.Literal(4), Type.Literal(5)], {
    default: 4,
    description: '4 = MQTT 3.1.1, 5 = MQTT 5.0',
  }),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  tls: Type.Optional(TlsSchema),
  keepaliveSec: Type.Integer({ minimum: 0, maximum: 65535, default: 30 }),
  connectTimeoutMs: Type.Integer({ minimum: 100, default: 10_000 }),
  sessionExpirySec: Type.Integer({
    minimum: 0,
    default: 86_400,
    description: 'MQTT 5: how long the remote keeps our session after a disconnect',
  }),
};

export const MqttBridgeSinkConfigSchema = Type.Object(
  {
    ...MqttConnectionProperties,
    mappings: Type.Array(TopicMappingSchema, {
      default: [],
      description: 'topic rewrites, first match wins; an unmatched topic is published unchanged',
    }),
    topic: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'topic for rows without a "topic" field; ${field} takes a row field, e.g. plant7/${point}',
      }),
    ),
    qos: Type.Union([Type.Literal(0), Type.Literal(1)], {
      default: 1,
      description: 'QoS towards the remote unless a row says otherwise; 1 = send() waits for every PUBACK',
    }),
    retain: Type.Boolean({ default: false, description: 'retain flag unless a row says otherwise' }),
    maxInflight: Type.Integer({
      minimum: 1,
      maximum: 65535,
      default: 100,
      description:
        "QoS 1 messages awaiting PUBACK at once (lowered to the remote's Receive Maximum); bounds what a broken link can duplicate",
    }),
    publishTimeoutMs: Type.Integer({
      minimum: 100,
      default: 10_000,
      description: 'a batch whose PUBACKs take longer fails, the link is dropped and the batch retried',
    }),
  },
  { additionalProperties: false },
);
export type MqttBridgeSinkConfig = Static<typeof MqttBridgeSinkConfigSchema>;

export const MqttIngressConfigSchema = Type.Object(
  {
    ...MqttConnectionProperties,
    subscriptions: Type.Array(
      Type.Object(
        {
          filter: Filter,
          qos: Type.Union([Type.Literal(0), Type.Literal(1)], { default: 1 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, description: 'remote filters to subscribe to' },
    ),
    mappings: Type.Array(TopicMappingSchema, {
      default: [],
      description: 'remote topic → local topic rewrites, first match wins',
    }),
    reconnect: Type.Object(
      {
        initialMs: Type.Integer({ minimum: 1, default: 500 }),
        maxMs: Type.Integer({ minimum: 1, default: 30_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type MqttIngressConfig = Static<typeof MqttIngressConfigSchema>;
