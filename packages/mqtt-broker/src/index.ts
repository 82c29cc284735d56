/**
 * @watershed/mqtt-broker — Watershed's MQTT 3.1, 3.1.1 and 5.0 broker core.
 *
 * `createBroker()` gives a broker with in-memory sessions and retained messages; listeners are
 * started on it (`listenTcp`, `listenTls`, `listenWs`). Server-side consumers (persistence, the rule engine) use the
 * in-process `subscribe`/`publish` and the typed events, never the broker's internals.
 */
export { createBroker } from './broker.js';
export { BrokerErrors } from './errors.js';
export { topicMatches } from './topic/validate.js';
export type {
  AuthenticateInput,
  Broker,
  BrokerEventName,
  BrokerEvents,
  BrokerLimits,
  BrokerMessage,
  BrokerOptions,
  BrokerStats,
  ClientInfo,
  DisconnectInfo,
  DropReason,
  Listener,
  LocalSubscribeOptions,
  MessageProperties,
  PublishInput,
  QoS,
  TcpListenOptions,
  TlsListenOptions,
  WsListenOptions,
  UserProperties,
} from './types.js';
