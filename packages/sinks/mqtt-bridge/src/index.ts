export { mqttBridgeSink } from './sink-type.js';
export { MqttBridgeTransport, type EgressDeps } from './egress-transport.js';
export {
  MqttBridgeIngress,
  type BridgedMessage,
  type IngressDeps,
  type IngressLinkChange,
} from './ingress.js';
export {
  MqttBridgeSinkConfigSchema,
  MqttIngressConfigSchema,
  TopicMappingSchema,
  type MqttBridgeSinkConfig,
  type MqttIngressConfig,
} from './config.js';
export { TopicMapper, type TopicMappingRule } from './topic-mapping.js';
export { rowToMessage, type OutboundMessage } from './row-message.js';
export { MqttBridgeErrors } from './errors.js';
