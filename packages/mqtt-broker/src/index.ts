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
  AuthnEvent,
  ClientAuthz,
  EnhancedIdentity,
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
export { hashPassword, hashPasswordPbkdf2, verifyPassword, parsePasswordHash } from './auth/password.js';
export type { ParsedHash, ScryptParams } from './auth/password.js';
export { AuthChain } from './auth/chain.js';
export type { ChainOutcome } from './auth/chain.js';
export type {
  AuthRequest,
  AuthSource,
  AuthVerdict,
  CertificateIdentity,
  IdentityGrants,
} from './auth/source.js';
export { createAuthSource } from './auth/sources.js';
export type { AuthSourceSpec, SourceDeps } from './auth/sources.js';
export { PasswordSource } from './auth/password-source.js';
export { JwtSource } from './auth/jwt.js';
export { JwksCache } from './auth/jwks.js';
export { CertificateSource, certificateIdentityOf } from './auth/certificate.js';
export { HttpCalloutSource } from './auth/http-callout.js';
export { UserTable } from './auth/users.js';
export type { UserEntry } from './auth/users.js';
export {
  AuthSourceConfig,
  PasswordSourceConfig,
  CertificateSourceConfig,
  JwtSourceConfig,
  HttpSourceConfig,
} from './auth/schema.js';
export type {
  EnhancedAuthenticator,
  EnhancedAuthExchange,
  EnhancedAuthRequest,
  EnhancedAuthStep,
} from './auth/enhanced.js';
export { ScramAuthenticator, SCRAM_SHA_256 } from './auth/scram.js';
export { ScramClient } from './auth/scram-client.js';
export { scramCredentials, parseScramCredentials } from './auth/scram-credentials.js';
export type { ScramCredentials } from './auth/scram-credentials.js';
export { AuthErrors } from './auth/errors.js';
export { AccessControl } from './auth/access-control.js';
export type { AccessControlOptions, AccessControlStats, ListenerPolicy } from './auth/access-control.js';
export { Acl } from './auth/acl.js';
export type { AclRule, AclSubject, AclAction, AclDecision } from './auth/acl.js';
export { BanList } from './auth/ban-list.js';
export type { Ban, BanSubject } from './auth/ban-list.js';
export { openSqlitePersistence, SqlitePersistence } from './persistence/sqlite-persistence.js';
export type { SqlitePersistenceOptions } from './persistence/sqlite-persistence.js';
export type {
  BrokerPersistence,
  StateJournal,
  PersistedState,
  PersistedSession,
  PersistedWill,
} from './persistence/types.js';
export type { SyncMode } from './persistence/sqlite-schema.js';
export { PersistenceErrors } from './persistence/errors.js';
export type { MqttBrokerOptions } from './types.js';
export { BrokerAdmin } from './admin/broker-admin.js';
export type { BrokerAdminOptions, KickOptions } from './admin/broker-admin.js';
export { MemoryBanStore, SqliteBanStore } from './admin/ban-store.js';
export type { BanStore } from './admin/ban-store.js';
export { AdminErrors } from './admin/errors.js';
export type * from './admin/types.js';
export { describeSecurity } from './admin/security.js';
export { SecurityEditor } from './admin/security-editor.js';
export type {
  SecurityEditorOptions,
  NewUserInput,
  UserChange,
  AclRuleInput,
  AclRuleChange,
} from './admin/security-editor.js';
export { MemorySecurityStore, SqliteSecurityStore } from './admin/security-store.js';
export type { SecurityStore, StoredSecurity, StoredUser, StoredAclRule } from './admin/security-store.js';
export type { SecurityView, UserView, AclRuleView, ListenerPolicyView } from './admin/security.js';
