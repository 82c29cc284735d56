import type { Logger } from '@watershed/common';
import type { RetainedStore } from './retained-store.js';
import type { Outgoing, Session, SessionSubscription } from './session.js';
import { TopicTrie, type ShareGroup } from './topic/trie.js';
import type { BrokerMessage, QoS } from './types.js';

/** A client's subscription as stored in the trie. */
interface SessionSubscriber {
  readonly kind: 'session';
  readonly session: Session;
  readonly sub: SessionSubscription;
}

/** An in-process subscriber (server persistence, rule engine). */
export type LocalSubscriber =
  | {
      readonly kind: 'local';
      readonly id: number;
      readonly durable: false;
      readonly onMessage: (m: BrokerMessage) => void;
    }
  | {
      readonly kind: 'local';
      readonly id: number;
      /** The publisher's PUBACK/PUBREC waits for `onMessage`'s promise (see Broker.subscribeDurable). */
      readonly durable: true;
      readonly onMessage: (m: BrokerMessage) => Promise<void>;
    };

/**
 * What routing one QoS 1/2 message to durable subscribers left to wait for: one promise per
 * durable subscriber, resolving true when it stored the message and false when it failed (never
 * rejecting: the failure is logged here and turned into a withheld ack by the caller).
 */
export type Holds = readonly Promise<boolean>[];

type Subscriber = SessionSubscriber | LocalSubscriber;

/**
 * Fan-out: matches a message's topic against the trie and hands one copy to each subscribed
 * session (merging a session's overlapping subscriptions into one delivery at the highest
 * granted QoS, with all their subscription identifiers [MQTT-3.3.4-2/3]), one to one member
 * of each share group, and one to each in-process subscriber.
 */
export class Router {
  readonly #trie = new TopicTrie<Subscriber>();
  readonly #logger: Logger;
  readonly #retained: RetainedStore;
  /** Sessions reached by the message being routed; reused to avoid allocating per message. */
  readonly #targets: Session[] = [];
  readonly #locals: LocalSubscriber[] = [];
  #mark = 0;
  #current: BrokerMessage | undefined;
  /** Messages published while routing (from a hook) wait here, so routing never re-enters. */
  readonly #pending: BrokerMessage[] = [];
  #routing = false;
  /** Durable subscribers' outcomes for the last routed message; undefined (no allocation) without any. */
  #holds: Promise<boolean>[] | undefined;

  constructor(logger: Logger, retained: RetainedStore) {
    this.#logger = logger;
    this.#retained = retained;
  }

  get size(): number {
    return this.#trie.size;
  }

  addSession(session: Session, sub: SessionSubscription): void {
    this.#trie.add(sub.filter, session, { kind: 'session', session, sub }, sub.group);
  }

  removeSession(session: Session, sub: SessionSubscription): void {
    this.#trie.remove(sub.filter, session, sub.group);
  }

  addLocal(filter: string, group: string | undefined, local: LocalSubscriber): void {
    this.#trie.add(filter, local, local, group);
  }

  removeLocal(filter: string, group: string | undefined, local: LocalSubscriber): void {
    this.#trie.remove(filter, local, group);
  }

  /** Routes a message; returns whether at least one subscriber matched (for MQTT 5's 0x10). */
  route(message: BrokerMessage): boolean {
    if (this.#routing) {
      this.#pending.push(message);
      return true;
    }
    this.#routing = true;
    this.#holds = undefined;
    try {
      let matched = this.#routeOne(message);
      while (this.#pending.length > 0) matched = this.#routeOne(this.#pending.shift()!) || matched;
      return matched;
    } finally {
      this.#routing = false;
    }
  }

  /**
   * The durable subscribers' outcomes for the message `route` just routed (and for the messages
   * a hook published while it was routed, which the publisher then waits for too); clears them.
   */
  takeHolds(): Holds | undefined {
    const holds = this.#holds;
    this.#holds = undefined;
    return holds;
  }

  /** Sends the retained messages matching a new subscription; retained copies keep RETAIN=1 [MQTT-3.3.1-8]. */
  deliverRetained(session: Session, sub: SessionSubscription, now: number): void {
    for (const m of this.#retained.match(sub.filter)) {
      if (this.#expired(m, now)) continue;
      session.deliver(
        outgoing(
          m,
          minQos(m.qos, sub.qos),
          true,
          sub.subscriptionId === undefined ? undefined : [sub.subscriptionId],
        ),
      );
    }
  }

  /** In-process subscribers asking for retained messages get them directly. */
  replayRetained(filter: string, local: LocalSubscriber, now: number): void {
    for (const m of this.#retained.match(filter)) if (!this.#expired(m, now)) this.#callLocal(local, m);
  }

  /** A retained message past its Message Expiry Interval is removed, not sent [MQTT-3.3.2-5]. */
  #expired(m: BrokerMessage, now: number): boolean {
    const expiry = m.properties?.messageExpiryInterval;
    if (expiry === undefined || now < m.receivedAt + expiry * 1000) return false;
    this.#retained.delete(m.topic);
    return true;
  }

  #routeOne(message: BrokerMessage): boolean {
    this.#current = message;
    this.#mark++;
    this.#trie.match(message.topic, this.#visit, this.#visitGroup);
    this.#current = undefined;
    const targets = this.#targets;
    const locals = this.#locals;
    const matched = targets.length + locals.length > 0;
    // One encoding cache per message, shared by its QoS 0 deliveries (see Outgoing.encoded).
    const encoded = targets.length > 1 ? {} : undefined;
    for (let i = 0; i < targets.length; i++) {
      const s = targets[i]!;
      // Without Retain As Published, forwarded messages carry RETAIN=0 [MQTT-3.3.1-9/12].
      const retain = s.routeRetain && message.retain;
      s.deliver(outgoing(message, minQos(message.qos, s.routeQos), retain, s.routeSubIds, encoded));
    }
    targets.length = 0;
    for (let i = 0; i < locals.length; i++) this.#callLocal(locals[i]!, message);
    locals.length = 0;
    return matched;
  }

  readonly #visit = (subscriber: Subscriber): void => {
    if (subscriber.kind === 'local') {
      this.#locals.push(subscriber);
      return;
    }
    const { session, sub } = subscriber;
    const message = this.#current!;
    // [MQTT-3.8.3-3] No Local: not sent back to the connection that published it.
    if (sub.noLocal && message.clientId === session.clientId) return;
    if (session.routeMark !== this.#mark) {
      session.routeMark = this.#mark;
      session.routeQos = sub.qos;
      session.routeRetain = sub.retainAsPublished;
      session.routeSubIds = sub.subscriptionId === undefined ? undefined : [sub.subscriptionId];
      this.#targets.push(session);
      return;
    }
    if (sub.qos > session.routeQos) session.routeQos = sub.qos;
    if (sub.retainAsPublished) session.routeRetain = true;
    if (sub.subscriptionId !== undefined) (session.routeSubIds ??= []).push(sub.subscriptionId);
  };

  /** Share groups: one member per message, round-robin, preferring members that are online. */
  readonly #visitGroup = (group: ShareGroup<Subscriber>): void => {
    const chosen = group.pick(isAvailable);
    if (!chosen) return;
    if (chosen.kind === 'local') {
      this.#locals.push(chosen);
      return;
    }
    const message = this.#current!;
    const { session, sub } = chosen;
    session.deliver(
      outgoing(
        message,
        minQos(message.qos, sub.qos),
        sub.retainAsPublished && message.retain,
        sub.subscriptionId === undefined ? undefined : [sub.subscriptionId],
      ),
    );
  };

  #callLocal(local: LocalSubscriber, message: BrokerMessage): void {
    if (local.durable) {
      this.#callDurable(local.onMessage, message);
      return;
    }
    try {
      local.onMessage(message);
    } catch (err) {
      this.#logger.error({ err, topic: message.topic }, 'in-process MQTT subscriber threw');
    }
  }

  #callDurable(store: (m: BrokerMessage) => Promise<void>, message: BrokerMessage): void {
    let outcome: Promise<boolean>;
    try {
      outcome = store(message).then(stored, (err: unknown) => this.#notStored(err, message));
    } catch (err) {
      outcome = Promise.resolve(this.#notStored(err, message));
    }
    // Nobody acknowledges a QoS 0 message, so nobody waits for its outcome (already logged).
    if (message.qos > 0) (this.#holds ??= []).push(outcome);
  }

  #notStored(err: unknown, message: BrokerMessage): false {
    this.#logger.warn(
      { err, topic: message.topic, clientId: message.clientId },
      'durable in-process subscriber did not store a message; its ack is withheld',
    );
    return false;
  }
}

function stored(): true {
  return true;
}

function isAvailable(s: Subscriber): boolean {
  return s.kind === 'local' || s.session.online;
}

function minQos(a: QoS, b: QoS): QoS {
  return a < b ? a : b;
}

function outgoing(
  m: BrokerMessage,
  qos: QoS,
  retain: boolean,
  subscriptionIds: number[] | undefined,
  encoded?: Outgoing['encoded'],
): Outgoing {
  const expiry = m.properties?.messageExpiryInterval;
  return {
    topic: m.topic,
    payload: m.payload,
    qos,
    retain,
    properties: m.properties,
    subscriptionIds,
    expiresAt: expiry === undefined ? undefined : m.receivedAt + expiry * 1000,
    packetId: 0,
    state: 'publish',
    encoded,
  };
}
