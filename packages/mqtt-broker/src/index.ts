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
  AuthenticateResult,
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
export { startBroker } from './configured-broker.js';
export type { RunningBroker, RunningListener, StartBrokerDeps } from './configured-broker.js';
export { BrokerConfig, ListenerConfig, UserConfig, AclRuleConfig, BanConfig } from './config/schema.js';
export { loadBrokerConfig, checkBrokerConfig, BROKER_ENV_PREFIX } from './config/load.js';
export type { LoadBrokerConfigOptions } from './config/load.js';
export { hashPassword, verifyPassword, parsePasswordHash } from './auth/password.js';
export { AccessControl } from './auth/access-control.js';
export type { AccessControlOptions, AccessControlStats, ListenerPolicy } from './auth/access-control.js';
export { Acl } from './auth/acl.js';
export type { AclRule, AclSubject, AclAction, AclDecision } from './auth/acl.js';
export { BanList } from './auth/ban-list.js';
export type { Ban, BanSubject } from './auth/ban-list.js';
