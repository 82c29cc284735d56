import { MqttIngressConfigSchema } from '@watershed/sink-mqtt-bridge';
import { Type, type Static } from 'typebox';

/**
 * One ingress bridge: the package's own ingress schema (remote url, credentials, TLS,
 * subscriptions, topic mappings, reconnect backoff) plus the id the server names it by in logs,
 * /healthz and metrics. The connection shape is not redefined here: one schema per config shape.
 */
export const IngressBridgeConfig = Type.Object(
  {
    id: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
      description: 'name of this bridge in logs, /healthz (bridge:<id>) and metrics',
    }),
    enabled: Type.Boolean({ default: true, description: 'false keeps the entry but does not connect' }),
    ...MqttIngressConfigSchema.properties,
  },
  { additionalProperties: false },
);
export type IngressBridgeConfig = Static<typeof IngressBridgeConfig>;

export const BridgesConfig = Type.Object(
  {
    ingress: Type.Array(IngressBridgeConfig, {
      default: [],
      description:
        'remote brokers this server subscribes to and republishes from into its own broker, e.g. a plant broker behind the firewall',
    }),
  },
  { additionalProperties: false, default: {} },
);
export type BridgesConfig = Static<typeof BridgesConfig>;
