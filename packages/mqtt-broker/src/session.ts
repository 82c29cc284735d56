import type { Clock, TimerHandle } from '@watershed/common';
import type { StateJournal } from './persistence/types.js';
import type { DropReason, MessageProperties, QoS } from './types.js';

/** A message on its way to one client: queued, in flight, or being written. */
export interface Outgoing {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties: MessageProperties | undefined;
  /** MQTT 5 subscription identifiers of the matching subscriptions [MQTT-3.3.4-3]. */
  readonly subscriptionIds: number[] | undefined;
  /** Clock time after which the message must not be sent [MQTT-3.3.2-5]; undefined = never. */
  readonly expiresAt: number | undefined;
  packetId: number;
  /** QoS 2 only: 'pubrel' once PUBREC arrived (message released, PUBCOMP awaited). */
  state: 'publish' | 'pubrel';
  /**
   * Encoded bytes shared by all deliveries of one routed message, per protocol family
   * (3/3.1.1 encode PUBLISH alike; 5 differs). Only plain QoS 0 deliveries use it.
   */
  readonly encoded: { v4?: Buffer; v5?: Buffer } | undefined;
}

/** The part of a connection a session writes to; keeps the session free of sockets. */
export interface DeliveryTarget {
  /** False while the socket's buffer is above its high-water mark (backpressure). */
  readonly writable: boolean;
  /** Unacknowledged QoS 1/2 messages allowed: min(client Receive Maximum, broker limit). */
  readonly inflightLimit: number;
  /** Writes a PUBLISH; returns false when it exceeds the client's Maximum Packet Size [MQTT-3.1.2-25]. */
  writePublish(out: Outgoing, dup: boolean): boolean;
  writePubrel(packetId: number): void;
}

export interface SessionHooks {
  readonly clock: Clock;
  readonly maxQueued: number;
  readonly queueQos0Offline: boolean;
  sent(out: Outgoing): void;
  dropped(clientId: string, out: Outgoing, reason: DropReason): void;
}

/** One subscription as the session remembers it (for UNSUBSCRIBE, takeover and expiry). */
export interface SessionSubscription {
  /** The filter as the client sent it, share prefix included. */
  readonly raw: string;
  readonly filter: string;
  readonly group: string | undefined;
  readonly qos: QoS;
  /** MQTT 5 No Local [MQTT-3.8.3-3]. */
  readonly noLocal: boolean;
  /** MQTT 5 Retain As Published [MQTT-3.3.1-12]. */
  readonly retainAsPublished: boolean;
  readonly subscriptionId: number | undefined;
}

/**
 * The server side of an MQTT session (MQTT 5.0 §4.1): subscriptions, messages queued for the
 * client, QoS 1/2 messages in flight, and QoS 2 packet ids received but not yet released. It
 * outlives connections when the client asked for a persistent session, and it knows nothing of
 * sockets: it writes through a DeliveryTarget while one is attached.
 */
/*
 * Idle connections dominate a broker's memory (issue target: ≤ 4 KB each), and most sessions
 * never subscribe, never have QoS 1/2 in flight and never receive QoS 2. They share these empty
 * collections until their first write; reads and deletes on them are harmless.
 */
const NO_SUBSCRIPTIONS: ReadonlyMap<string, SessionSubscription> = new Map();
const NO_INFLIGHT: ReadonlyMap<number, Outgoing> = new Map();
const NO_PACKET_IDS: ReadonlySet<number> = new Set();

export class Session {
  readonly clientId: string;
  /** Seconds the session survives its connection (MQTT 5 Session Expiry Interval). */
  expiryInterval: number;
  /** Timer that ends a detached session; owned by the broker. */
  expiryTimer: TimerHandle | undefined;
  /** Routing scratch space, so fan-out merges overlapping subscriptions without allocating. */
  routeMark = 0;
  routeQos: QoS = 0;
  routeRetain = false;
  routeSubIds: number[] | undefined;

  readonly #hooks: SessionHooks;
  #target: DeliveryTarget | undefined;
  #queue: Outgoing[] = [];
  #queueHead = 0;
  #subscriptions = NO_SUBSCRIPTIONS as Map<string, SessionSubscription>;
  #inflight = NO_INFLIGHT as Map<number, Outgoing>;
  /** QoS 2 packet ids received and acknowledged with PUBREC, awaiting PUBREL [MQTT-4.3.3]. */
  #incomingQos2 = NO_PACKET_IDS as Set<number>;
  #nextPacketId = 1;
  /** Where a persistent session records its changes; undefined for in-memory sessions. */
  #journal: StateJournal | undefined;

  constructor(clientId: string, expiryInterval: number, hooks: SessionHooks) {
    this.clientId = clientId;
    this.expiryInterval = expiryInterval;
    this.#hooks = hooks;
  }

  /** The client's subscriptions by their raw filter (with any `$share/…` prefix). */
  get subscriptions(): ReadonlyMap<string, SessionSubscription> {
    return this.#subscriptions;
  }

  setSubscription(sub: SessionSubscription): void {
    if (this.#subscriptions === NO_SUBSCRIPTIONS) this.#subscriptions = new Map();
    this.#subscriptions.set(sub.raw, sub);
  }

  deleteSubscription(raw: string): boolean {
    return this.#subscriptions.delete(raw);
  }

  clearSubscriptions(): void {
    this.#subscriptions = NO_SUBSCRIPTIONS as Map<string, SessionSubscription>;
  }

  get online(): boolean {
    return this.#target !== undefined;
  }

  get queued(): number {
    return this.#queue.length - this.#queueHead;
  }

  /** QoS 2 messages received and not yet released by PUBREL. */
  get pendingReleases(): number {
    return this.#incomingQos2.size;
  }

  get inflight(): number {
    return this.#inflight.size;
  }

  get journal(): StateJournal | undefined {
    return this.#journal;
  }

  /** Starts (or, with undefined, stops) recording this session's changes. */
  persistTo(journal: StateJournal | undefined): void {
    this.#journal = journal;
  }

  /**
   * Puts back the state of a previous run: the queue, the inflight window (in its original
   * order, with packet ids and QoS 2 states) and the QoS 2 packet ids awaiting PUBREL.
   */
  restore(state: {
    queue: readonly Outgoing[];
    inflight: readonly Outgoing[];
    incomingQos2: readonly number[];
  }): void {
    this.#queue = [...state.queue];
    this.#queueHead = 0;
    for (const out of state.inflight) this.#ownInflight().set(out.packetId, out);
    for (const id of state.incomingQos2) this.#ownIncomingQos2().add(id);
    const last = state.inflight.at(-1);
    if (last) this.#nextPacketId = last.packetId === 0xffff ? 1 : last.packetId + 1;
  }

  /**
   * Runs `fn` once this session's recorded changes are durable; at once for an in-memory
   * session. Used for the acknowledgements that promise the peer a state (PUBREL, PUBCOMP).
   */
  afterDurable(fn: () => void): void {
    const journal = this.#journal;
    if (journal === undefined) fn();
    else journal.afterDurable(fn);
  }

  /**
   * Attaches a connection and resends what was in flight, in the original order, with DUP set
   * on PUBLISH [MQTT-4.4.0-1] and PUBREL resent as is; then sends what was queued.
   */
  attach(target: DeliveryTarget): void {
    this.#target = target;
    for (const out of this.#inflight.values()) {
      if (out.state === 'pubrel') {
        target.writePubrel(out.packetId);
      } else if (!target.writePublish(out, true)) {
        // The new connection announced a smaller Maximum Packet Size: this one can never go.
        this.#inflight.delete(out.packetId);
        this.#journal?.inflightDeleted(this.clientId, out.packetId);
        this.#hooks.dropped(this.clientId, out, 'too_large');
      }
    }
    this.pump();
  }

  detach(target: DeliveryTarget): void {
    if (this.#target === target) this.#target = undefined;
  }

  /**
   * Queues or sends one message. QoS 0 messages for an offline client are discarded unless the
   * broker is configured to queue them (`limits.queueQos0Offline`).
   */
  deliver(out: Outgoing): void {
    const target = this.#target;
    if (!target) {
      if (out.qos === 0 && !this.#hooks.queueQos0Offline) return;
    } else if (
      this.queued === 0 &&
      target.writable &&
      (out.qos === 0 || this.#inflight.size < target.inflightLimit)
    ) {
      this.#send(target, out);
      return;
    }
    if (this.queued >= this.#hooks.maxQueued) {
      // Bounded memory: a slow or absent consumer loses new messages, counted, rather than
      // growing the broker without limit.
      this.#hooks.dropped(this.clientId, out, 'queue_full');
      return;
    }
    this.#queue.push(out);
    this.#journal?.queued(this.clientId, out);
  }

  /** Sends queued messages while the socket accepts data and the inflight window has room. */
  pump(): void {
    const target = this.#target;
    if (!target) return;
    while (this.#queueHead < this.#queue.length && target.writable) {
      const out = this.#queue[this.#queueHead]!;
      if (out.qos > 0 && this.#inflight.size >= target.inflightLimit) break;
      this.#queue[this.#queueHead++] = undefined as unknown as Outgoing;
      this.#journal?.dequeued(this.clientId);
      this.#send(target, out);
    }
    if (this.#queueHead === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    } else if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead);
      this.#queueHead = 0;
    }
  }

  /** PUBACK for a QoS 1 message we sent; unknown ids are ignored. */
  onPuback(packetId: number): void {
    const out = this.#inflight.get(packetId);
    if (out?.qos === 1) {
      this.#inflight.delete(packetId);
      this.#journal?.inflightDeleted(this.clientId, packetId);
      this.pump();
    }
  }

  /** PUBREC for a QoS 2 message we sent: the message is owned by the client; release it. */
  onPubrec(packetId: number, failed: boolean): boolean {
    const out = this.#inflight.get(packetId);
    if (out?.qos !== 2) return false;
    if (failed) {
      // MQTT 5: a PUBREC reason code >= 0x80 ends the exchange [MQTT-4.3.3-4 note].
      this.#inflight.delete(packetId);
      this.#journal?.inflightDeleted(this.clientId, packetId);
      this.pump();
      return false;
    }
    // A resent PUBREC changes nothing; only the first one is recorded.
    if (out.state === 'publish') this.#journal?.inflightReleased(this.clientId, packetId);
    out.state = 'pubrel';
    return true;
  }

  onPubcomp(packetId: number): void {
    const out = this.#inflight.get(packetId);
    if (out?.qos === 2 && out.state === 'pubrel') {
      this.#inflight.delete(packetId);
      this.#journal?.inflightDeleted(this.clientId, packetId);
      this.pump();
    }
  }

  /** Records an incoming QoS 2 PUBLISH; returns false when it is a duplicate already routed. */
  receiveQos2(packetId: number): boolean {
    if (this.#incomingQos2.has(packetId)) return false;
    this.#ownIncomingQos2().add(packetId);
    this.#journal?.incomingSaved(this.clientId, packetId);
    return true;
  }

  /** PUBREL from the client; returns whether the packet id was known [MQTT-4.3.3-9]. */
  releaseQos2(packetId: number): boolean {
    if (!this.#incomingQos2.delete(packetId)) return false;
    this.#journal?.incomingDeleted(this.clientId, packetId);
    return true;
  }

  #send(target: DeliveryTarget, out: Outgoing): void {
    if (out.expiresAt !== undefined && this.#hooks.clock.now() >= out.expiresAt) {
      this.#hooks.dropped(this.clientId, out, 'expired');
      return;
    }
    if (out.qos > 0) out.packetId = this.#allocatePacketId();
    const journal = this.#journal;
    if (journal !== undefined && out.qos === 2) {
      // Write-ahead for QoS 2: the packet id is durable before the PUBLISH leaves, so after a
      // crash the message is resent under the same id (DUP) and a receiver that delivers on
      // PUBLISH and dedupes by packet id (MQTT 3.1.1 §4.3.3 Figure 4.3, Method B) sees it once.
      // QoS 1 may be duplicated by definition and goes out at once.
      this.#ownInflight().set(out.packetId, out);
      journal.inflightSaved(this.clientId, out);
      journal.afterDurable(() => this.#sendDurable(target, out));
      return;
    }
    if (!target.writePublish(out, false)) {
      this.#hooks.dropped(this.clientId, out, 'too_large');
      return;
    }
    if (out.qos > 0) {
      this.#ownInflight().set(out.packetId, out);
      journal?.inflightSaved(this.clientId, out);
    }
    this.#hooks.sent(out);
  }

  /** Second half of a write-ahead QoS 2 send, once its inflight record is durable. */
  #sendDurable(target: DeliveryTarget, out: Outgoing): void {
    // Gone offline meanwhile, or already resent by `attach` on a newer connection.
    if (this.#target !== target || this.#inflight.get(out.packetId) !== out || out.state !== 'publish')
      return;
    if (!target.writePublish(out, false)) {
      this.#inflight.delete(out.packetId);
      this.#journal?.inflightDeleted(this.clientId, out.packetId);
      this.#hooks.dropped(this.clientId, out, 'too_large');
      this.pump();
      return;
    }
    this.#hooks.sent(out);
  }

  #ownInflight(): Map<number, Outgoing> {
    if (this.#inflight === NO_INFLIGHT) this.#inflight = new Map();
    return this.#inflight;
  }

  #ownIncomingQos2(): Set<number> {
    if (this.#incomingQos2 === NO_PACKET_IDS) this.#incomingQos2 = new Set();
    return this.#incomingQos2;
  }

  #allocatePacketId(): number {
    // [MQTT-2.2.1-3] a new packet id is one not in use; the inflight window keeps this short.
    for (;;) {
      const id = this.#nextPacketId;
      this.#nextPacketId = id === 0xffff ? 1 : id + 1;
      if (!this.#inflight.has(id)) return id;
    }
  }
}
