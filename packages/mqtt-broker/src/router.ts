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
export interface LocalSubscriber {
  readonly kind: 'local';
  readonly id: number;
  readonly onMessage: (m: BrokerMessage) => void;
}

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
    try {
      let matched = this.#routeOne(message);
      while (this.#pending.length > 0) matched = this.#routeOne(this.#pending.shift()!) || matched;
      return matched;
    } finally {
      this.#routing = false;
    }
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
    try {
      local.onMessage(message);
    } catch (err) {
      this.#logger.error({ err, topic: message.topic }, 'in-process MQTT subscriber threw');
    }
  }
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
