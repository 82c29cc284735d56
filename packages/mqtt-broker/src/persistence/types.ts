import type { Outgoing, SessionSubscription } from '../session.js';
import type { BrokerMessage } from '../types.js';

/**
 * What a durable backend hands back at start: the persistent sessions of the previous run with
 * their subscriptions, queue, inflight window and QoS 2 receiver state, the delayed wills, and
 * the retained messages.
 */
export interface PersistedState {
  readonly sessions: readonly PersistedSession[];
  readonly wills: readonly PersistedWill[];
  readonly retained: readonly BrokerMessage[];
}

export interface PersistedSession {
  readonly clientId: string;
  /** MQTT 5 Session Expiry Interval in seconds (0xFFFFFFFF = never; MQTT 3 persistent sessions). */
  readonly expiryInterval: number;
  /** Clock time the client went away; undefined when it was connected as the broker stopped. */
  readonly disconnectedAt: number | undefined;
  readonly subscriptions: readonly SessionSubscription[];
  /** Messages not yet sent, oldest first. */
  readonly queue: readonly Outgoing[];
  /** Messages sent and not yet acknowledged, in the order they were first sent [MQTT-4.6.0-1]. */
  readonly inflight: readonly Outgoing[];
  /** QoS 2 packet ids received (PUBREC sent) and not yet released by PUBREL [MQTT-4.3.3]. */
  readonly incomingQos2: readonly number[];
}

/**
 * The will of a persistent session: armed while its client is connected (a broker crash closes
 * that connection without DISCONNECT, so the will is due after the restart), or waiting out its
 * MQTT 5 Will Delay Interval after the client went away.
 */
export interface PersistedWill {
  readonly clientId: string;
  readonly message: BrokerMessage;
  /** Clock time at which it is due; undefined while armed (the client is connected). */
  readonly publishAt: number | undefined;
  /** Delay in seconds from the disconnection: min(Will Delay Interval, Session Expiry Interval). */
  readonly delaySeconds: number;
}

/**
 * The changes the broker records as they happen. Calls only append to a batch: none of them
 * blocks on storage, so the packet path stays fast. Changes are made durable in call order and
 * atomically per batch, so what survives a crash is always a prefix of what was recorded.
 */
export interface StateJournal {
  /** True when every change recorded so far is durable. */
  readonly durable: boolean;
  /**
   * Runs `fn` once every change recorded before this call is durable: at once when nothing is
   * pending, otherwise after the batch commits. Callbacks run in call order, so acknowledgements
   * deferred through it keep the order MQTT requires [MQTT-4.6.0-2..4].
   */
  afterDurable(fn: () => void): void;

  sessionSaved(clientId: string, expiryInterval: number, disconnectedAt: number | undefined): void;
  /** Removes the session with its subscriptions, queue, inflight and incoming QoS 2 state. */
  sessionDeleted(clientId: string): void;
  subscriptionSaved(clientId: string, sub: SessionSubscription): void;
  subscriptionDeleted(clientId: string, raw: string): void;
  /** Appends a message to the tail of the client's queue. */
  queued(clientId: string, out: Outgoing): void;
  /** Removes the message at the head of the client's queue (sent or dropped). */
  dequeued(clientId: string): void;
  /** A QoS 1/2 message sent (or about to be) under `out.packetId`, state 'publish'. */
  inflightSaved(clientId: string, out: Outgoing): void;
  /** PUBREC arrived for a QoS 2 message we sent: from now on PUBREL is resent, never PUBLISH. */
  inflightReleased(clientId: string, packetId: number): void;
  inflightDeleted(clientId: string, packetId: number): void;
  incomingSaved(clientId: string, packetId: number): void;
  incomingDeleted(clientId: string, packetId: number): void;
  willSaved(will: PersistedWill): void;
  willDeleted(clientId: string): void;
  retainedSaved(message: BrokerMessage): void;
  retainedDeleted(topic: string): void;
}

/**
 * A durable home for broker state: the embedded SQLite file (`SqlitePersistence`) on one
 * machine; NATS JetStream KV for a cluster later (DESIGN.md "Embedded default and scale-out").
 *
 * Lifecycle: the opener reads the previous state (`load`, once, before any change is
 * recorded); the broker then records changes through the StateJournal and closes the backend in
 * its own `close()`, which makes every recorded change durable first.
 */
export interface BrokerPersistence extends StateJournal {
  /** Where the state lives, for log lines and errors (a file path, a bucket name). */
  readonly location: string;
  load(): PersistedState;
  /**
   * Starts writing pending changes now instead of at the end of the current batch window.
   * SQLite finishes before returning; an asynchronous backend reports completion through
   * `afterDurable`.
   */
  flush(): void;
  /** Makes pending changes durable and releases the backend; idempotent. */
  close(): Promise<void>;
}
