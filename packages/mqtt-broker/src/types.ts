import type { BrokerPersistence } from './persistence/types.js';
import type { Clock, Logger, Registry } from '@watershed/common';
import type { TlsOptions } from 'node:tls';
import type { AclRule } from './auth/acl.js';
import type { EnhancedAuthenticator } from './auth/enhanced.js';

export type QoS = 0 | 1 | 2;

/** MQTT 5 user properties as mqtt-packet carries them: a name maps to one value or several. */
export type UserProperties = Record<string, string | string[]>;

/** MQTT 5 PUBLISH properties that travel with an application message from publisher to subscriber. */
export interface MessageProperties {
  payloadFormatIndicator?: boolean;
  /** Seconds; the broker counts it down while the message waits [MQTT-3.3.2-6]. */
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
  userProperties?: UserProperties;
}

/** An application message as in-process subscribers see it. */
export interface BrokerMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly retain: boolean;
  /** Publishing client, or undefined for in-process publishes. */
  readonly clientId?: string;
  readonly properties?: MessageProperties;
  /** Clock time (ms) at which the broker accepted the message. */
  readonly receivedAt: number;
}

export interface PublishInput {
  topic: string;
  payload: Buffer | string;
  qos?: QoS;
  retain?: boolean;
  properties?: MessageProperties;
}

export interface AuthenticateInput {
  clientId: string;
  username?: string;
  password?: Buffer;
  remoteAddress?: string;
  /** Name of the listener the client came in on (`name` in its listen options). */
  listener?: string;
  /** Subject common name of a client certificate the TLS handshake verified (mutual TLS). */
  certificateCN?: string;
  /** That certificate's subjectAltName as node:tls gives it (`DNS:a, email:b, URI:c`). */
  certificateSAN?: string;
  /** Set when an MQTT 5 enhanced-authentication exchange (§4.12) has already proved the identity. */
  enhanced?: EnhancedIdentity;
}

/** An identity an MQTT 5 enhanced-authentication exchange proved. */
export interface EnhancedIdentity extends ClientAuthz {
  readonly method: string;
  readonly username: string;
  readonly expiresAt?: number;
}

/** Permissions that came with the identity (a JWT's claims, an HTTP authenticator's answer). */
export interface ClientAuthz {
  /** Every ACL check passes. */
  readonly superuser?: boolean;
  /** Checked before the configured ACL; no match falls through to it. */
  readonly acl?: readonly AclRule[];
}

/**
 * An authenticator's answer when `true`/`false` is not enough: a refusal reason (CONNACK
 * 4/0x86 bad credentials, 5/0x87 not authorised, 5/0x8A banned), or an accepted identity
 * whose username replaces the one in CONNECT (e.g. the certificate CN under mutual TLS).
 */
export type AuthenticateResult =
  | ({
      readonly ok: true;
      readonly username?: string;
      /** Which source vouched for the client ('password', 'jwt', …), for events. */
      readonly source?: string;
      /** Clock time (ms) at which the identity expires: the connection is closed then (v5: 0xA0). */
      readonly expiresAt?: number;
    } & ClientAuthz)
  | {
      readonly ok: false;
      readonly reason: 'bad_credentials' | 'not_authorized' | 'banned';
      readonly source?: string;
      /** For logs and events; never sent to the client. */
      readonly detail?: string;
    };

/** Identifies a connected client to authorization hooks. */
export interface ClientInfo {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly remoteAddress: string | undefined;
  readonly protocolVersion: 3 | 4 | 5;
  /** Name of the listener the client came in on, when the listener was named. */
  readonly listener?: string;
  /** Permissions the authentication source granted with the identity. */
  readonly authz?: ClientAuthz;
}

export interface BrokerLimits {
  /** Largest packet accepted from a client, in bytes (whole packet). Default 1 MiB. */
  maxPacketSize?: number;
  /** Connected clients at most; further CONNECTs are refused. Default 100 000. */
  maxConnections?: number;
  /** Messages waiting for one client (online or offline) before new ones are dropped. Default 1000. */
  maxQueuedPerClient?: number;
  /**
   * Keep QoS 0 messages for an offline persistent session, within `maxQueuedPerClient`, as
   * Mosquitto's `queue_qos0_messages` does. The spec lets a server store them as part of the
   * session state (MQTT 3.1.1 §3.1.2.4, MQTT 5 §4.1). Default false: QoS 0 is fire-and-forget.
   */
  queueQos0Offline?: boolean;
  /** Levels in a topic name or filter. Default 64. */
  maxTopicLevels?: number;
  /** QoS 1/2 messages sent to a client and not yet acknowledged, unless the client's
   *  Receive Maximum is lower. Default 100. */
  maxInflight?: number;
  /** Subscriptions one client may hold; more are refused in SUBACK (v5: 0x97). Default 1000. */
  maxSubscriptionsPerClient?: number;
  /** Retained messages kept at most; beyond it new retained topics are not stored. Default 100 000. */
  maxRetained?: number;
  /** Time a socket may stay open without sending CONNECT, in ms. Default 10 000. */
  connectTimeoutMs?: number;
  /** PUBLISH packets one client may send per second; beyond it the broker stops reading its
   *  socket until the budget refills (delayed, not dropped). Default unlimited. */
  maxMessagesPerSecond?: number;
  /** Bytes one client may send per second, enforced the same way. Default unlimited. */
  maxBytesPerSecond?: number;
}

export interface BrokerOptions {
  clock?: Clock;
  logger?: Logger;
  /** prom-client registry (from `@watershed/common`) to register the broker's metrics in. */
  metrics?: Registry;
  /** Name used in `$SYS/brokers/{nodeName}/…` and logs. Default "watershed". */
  nodeName?: string;
  /** Decides whether a client may connect; a throw or rejection refuses it as "server unavailable". */
  authenticate?: (
    c: AuthenticateInput,
  ) => boolean | AuthenticateResult | Promise<boolean | AuthenticateResult>;
  /**
   * MQTT 5 enhanced authentication (§4.12): the authenticator for a CONNECT's Authentication
   * Method on a listener, or undefined to refuse the method (CONNACK 0x8C). Default: none.
   */
  enhancedAuth?: (method: string, listener: string | undefined) => EnhancedAuthenticator | undefined;
  /** Decides whether a client may publish to `topic`; default allows. Called on the hot path: keep it cheap. */
  authorizePublish?: (client: ClientInfo, topic: string) => boolean;
  /** Decides whether a client may subscribe to `filter`; default allows. */
  authorizeSubscribe?: (client: ClientInfo, filter: string) => boolean;
  limits?: BrokerLimits;
  /** Period of the `$SYS/brokers/{nodeName}/…` status topics in ms; 0 turns them off. Default 10 000. */
  sysIntervalMs?: number;
}

export interface Listener {
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

export interface TcpListenOptions {
  host?: string;
  port: number;
  /** Name given to authentication and authorization hooks, so each listener can have its own rules. */
  name?: string;
  /** Sockets this listener holds open at most; further ones are closed on accept. */
  maxConnections?: number;
}

/** TLS listener: address plus node:tls server options (key, cert, ca, requestCert, …). */
export interface TlsListenOptions extends TcpListenOptions, TlsOptions {}

export interface WsListenOptions extends TcpListenOptions {
  /** URL path of the WebSocket endpoint. Default "/mqtt". */
  path?: string;
  /** Serve wss:// with these node:tls options. */
  tls?: TlsOptions;
}

/** Why a client went away, as reported to `client_disconnected`. */
export interface DisconnectInfo {
  readonly clientId: string;
  /** True when the client sent DISCONNECT (normal, will discarded). */
  readonly graceful: boolean;
  /** A short machine-readable reason: 'client', 'socket_closed', 'keepalive', 'takeover', 'malformed', … */
  readonly reason: string;
}

export interface BrokerEvents {
  client_connected: (
    c: ClientInfo & { readonly cleanStart: boolean; readonly sessionPresent: boolean },
  ) => void;
  client_disconnected: (d: DisconnectInfo) => void;
  /** The outcome of authenticating a CONNECT or an MQTT 5 re-authentication. */
  client_authn: (a: AuthnEvent) => void;
  session_subscribed: (s: { readonly clientId: string; readonly filter: string; readonly qos: QoS }) => void;
  session_unsubscribed: (s: { readonly clientId: string; readonly filter: string }) => void;
  /** A message could not be delivered to a client: queue full (slow consumer), expired, or too large for it. */
  message_dropped: (d: {
    readonly clientId: string;
    readonly topic: string;
    readonly reason: DropReason;
  }) => void;
}

export interface AuthnEvent {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly remoteAddress: string | undefined;
  readonly listener: string | undefined;
  readonly ok: boolean;
  /** The deciding source ('password', 'jwt', 'certificate', 'http', 'anonymous', an enhanced method …). */
  readonly source: string | undefined;
  /** Why it failed: 'bad_credentials', 'not_authorized', 'banned', 'bad_method', … */
  readonly reason?: string;
  readonly detail?: string;
  /** True for a re-authentication on an open connection (MQTT 5 AUTH 0x19). */
  readonly reauth: boolean;
}

export type DropReason = 'queue_full' | 'expired' | 'too_large';

export type BrokerEventName = keyof BrokerEvents;

export interface BrokerStats {
  clients: number;
  subscriptions: number;
  retained: number;
  messagesIn: number;
  messagesOut: number;
  dropped: number;
  /** MQTT bytes read from and written to client sockets since start (TLS/WebSocket framing not counted). */
  bytesIn: number;
  bytesOut: number;
  /** MQTT packets received from and sent to clients since start. */
  packetsIn: number;
  packetsOut: number;
}

export interface LocalSubscribeOptions {
  /** Also receive the retained messages that match, as MQTT subscribers do. Default false. */
  retained?: boolean;
}

export interface Broker {
  /** Starts a TCP listener; port 0 lets the OS choose. The broker owns it and closes it in `close()`. */
  listenTcp(opts: TcpListenOptions): Promise<Listener>;
  /** Starts an MQTT-over-TLS listener (node:tls options: key, cert, ca, requestCert …). */
  listenTls(opts: TlsListenOptions): Promise<Listener>;
  /** Starts an MQTT-over-WebSocket listener on `path` (default "/mqtt"); wss:// with `tls`. */
  listenWs(opts: WsListenOptions): Promise<Listener>;
  /**
   * In-process subscription with the same matching rules as MQTT clients (wildcards, `$`-topics).
   * `onMessage` runs synchronously during routing; a throw is logged and does not affect others.
   * The message (payload included) is shared with other subscribers and must not be modified.
   * Returns the function that removes the subscription. Throws WS_ERR_MQTT_INVALID_FILTER.
   */
  subscribe(filter: string, onMessage: (m: BrokerMessage) => void, opts?: LocalSubscribeOptions): () => void;
  /**
   * A durable in-process subscription: `store` takes ownership of each message and resolves once
   * it is kept (committed to a database). A client's QoS 1/2 PUBLISH is acknowledged (PUBACK /
   * PUBREC) only after every durable subscriber it reached resolved, so a publisher never drops
   * a message the platform has not stored. When one rejects, the message is not acknowledged:
   * MQTT 5 gets reason 0x80, MQTT 3.1.1 a closed connection, and the client sends it again.
   * `store` is called synchronously during routing like `subscribe`'s handler; QoS 0 messages
   * reach it too, and then nobody waits.
   */
  subscribeDurable(
    filter: string,
    store: (m: BrokerMessage) => Promise<void>,
    opts?: LocalSubscribeOptions,
  ): () => void;
  /** In-process publish, routed like a client's. Throws WS_ERR_MQTT_INVALID_TOPIC or WS_ERR_MQTT_BROKER_CLOSED. */
  publish(m: PublishInput): void;
  /** Typed lifecycle events; returns the function that removes the listener. */
  on<E extends BrokerEventName>(event: E, listener: BrokerEvents[E]): () => void;
  stats(): BrokerStats;
  /** Closes listeners and every client connection; idempotent. */
  close(): Promise<void>;
}

/** Broker options plus where its state lives. */
export interface MqttBrokerOptions extends BrokerOptions {
  /**
   * Durable sessions and retained messages (e.g. `openSqlitePersistence`). The broker restores
   * the previous state from it at construction and owns it from then on: `close()` makes every
   * recorded change durable and closes it. Default: everything in memory.
   */
  persistence?: BrokerPersistence;
}
