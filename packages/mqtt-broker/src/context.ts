import type { Traffic } from './traffic.js';
import type { Clock, Logger } from '@watershed/common';
import type { ConnectGate } from './admin/hub.js';
import type { Connection } from './connection.js';
import type { RetainedStore } from './retained-store.js';
import type { Holds } from './router.js';
import type { Session, SessionSubscription } from './session.js';
import type { BrokerEvents, BrokerMessage, BrokerOptions, ClientInfo } from './types.js';

/** Limits with defaults applied. */
export interface ResolvedLimits {
  readonly maxPacketSize: number;
  readonly maxConnections: number;
  readonly maxQueuedPerClient: number;
  readonly queueQos0Offline: boolean;
  readonly maxTopicLevels: number;
  readonly maxInflight: number;
  readonly connectTimeoutMs: number;
  readonly maxSubscriptionsPerClient: number;
  readonly maxRetained: number;
  /** Per-client inbound budgets; Infinity when unlimited. */
  readonly maxMessagesPerSecond: number;
  readonly maxBytesPerSecond: number;
  /** Topic aliases a client may set up towards us (MQTT 5 Topic Alias Maximum in CONNACK). */
  readonly topicAliasMaximum: number;
}

/**
 * What packet handlers may use of the broker: a narrow view, so a handler cannot reach into
 * the broker's state except through these operations.
 */
export interface HandlerContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits: ResolvedLimits;
  readonly nodeName: string;
  readonly retained: RetainedStore;
  readonly authenticate: BrokerOptions['authenticate'];
  readonly enhancedAuth: BrokerOptions['enhancedAuth'];
  readonly authorizePublish: BrokerOptions['authorizePublish'];
  readonly authorizeSubscribe: BrokerOptions['authorizeSubscribe'];
  /** Operator bans refused at CONNECT, and what each accepted CONNECT said. */
  readonly admin: ConnectGate;
  /** Bytes and packets of every connection, closed ones included, since the broker started. */
  readonly traffic: Traffic;
  /** Number of clients that completed CONNECT. */
  readonly connectedCount: number;
  /** True when a connection currently holds `clientId` (a reconnect would take it over). */
  isConnected(clientId: string): boolean;
  /** Hands `clientId` to `conn`: takes over a live connection, resumes or replaces the session. */
  openSession(
    conn: Connection,
    clientId: string,
    cleanStart: boolean,
    expiryInterval: number,
  ): { session: Session; present: boolean };
  /** Routes one accepted message to subscribers and counts it in; returns whether anyone matched. */
  route(message: BrokerMessage): boolean;
  /** What the message just routed waits for before its ack (durable in-process subscribers); clears it. */
  takeHolds(): Holds | undefined;
  /** Stores or (empty payload) deletes a retained message. */
  retain(message: BrokerMessage): void;
  /** Records a subscription in the session and the routing trie; returns true when it is new. */
  addSubscription(session: Session, sub: SessionSubscription): boolean;
  removeSubscription(session: Session, raw: string): boolean;
  /** Delivers the retained messages matching `sub` to the session [MQTT-3.8.4-4]. */
  deliverRetained(session: Session, sub: SessionSubscription): void;
  /** Called once per socket when its connection ends, connected or not: the broker forgets it. */
  socketReleased(conn: Connection): void;
  /** Called once per connection when it closes; publishes the will if due and detaches the session. */
  connectionClosed(conn: Connection, info: { graceful: boolean; reason: string; publishWill: boolean }): void;
  clientConnected(
    conn: Connection,
    info: ClientInfo & { cleanStart: boolean; sessionPresent: boolean },
  ): void;
  emit<E extends keyof BrokerEvents>(event: E, ...args: Parameters<BrokerEvents[E]>): void;
  /** True when every state change recorded so far is durable (always, without persistence). */
  readonly durable: boolean;
  /** Runs `fn` once the state changes recorded so far are durable, in call order; at once when they are. */
  afterDurable(fn: () => void): void;
}
