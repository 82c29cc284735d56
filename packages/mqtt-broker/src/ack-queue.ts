import type { Connection } from './connection.js';
import type { HandlerContext } from './context.js';
import type { Holds } from './router.js';
import type { Session } from './session.js';

/** MQTT 5 PUBACK/PUBREC reason "Unspecified error" (§3.4.2.1, §3.5.2.1). */
const UNSPECIFIED_ERROR = 0x80;

/** One PUBACK/PUBREC owed to the client, waiting for its message to be kept. */
interface PendingAck {
  readonly qos: 1 | 2;
  readonly messageId: number;
  readonly reasonCode: number;
  /** Outcomes still to come: durable subscribers, plus the broker's own persistence. */
  waiting: number;
  failed: boolean;
  /** A QoS 2 message's holds, remembered on the session until they settle (see `heldQos2`). */
  readonly holds: Holds | undefined;
  /** The session the holds are remembered on (the connection may have lost it by the time they settle). */
  readonly session: Session | undefined;
}

/**
 * QoS 2 messages whose durable subscribers are still at work, by session and packet id. A client
 * that reconnects resends such a PUBLISH (DUP); it is not routed again [MQTT-4.3.3-9], but its
 * PUBREC must still wait for the first copy's store, or a store failing after the PUBREC would
 * lose the message. A WeakMap keeps the Session (and its memory target) free of this state.
 */
const heldQos2 = new WeakMap<Session, Map<number, Holds>>();

/** The holds of a QoS 2 message already routed for `session` and not yet stored, if any. */
export function qos2Holds(session: Session | undefined, packetId: number): Holds | undefined {
  return session && heldQos2.get(session)?.get(packetId);
}

/** Sends PUBACK (QoS 1) or PUBREC (QoS 2) for a client's PUBLISH; MQTT 3.1.1 has no reason codes. */
export function sendPublishAck(conn: Connection, qos: 1 | 2, messageId: number, reasonCode: number): void {
  const cmd = qos === 1 ? 'puback' : 'pubrec';
  if (conn.protocolVersion === 5 && reasonCode !== 0) conn.send({ cmd, messageId, reasonCode });
  else conn.send({ cmd, messageId });
}

/**
 * The acks of one connection whose messages a durable in-process subscriber (the platform's
 * store) has not finished keeping. An ack tells the publisher it may forget the message
 * [MQTT-3.4.2-1, MQTT-4.3.2-2/4.3.3-2: the receiver then owns it], so it waits for the store;
 * acks still leave in the order the PUBLISHes came in [MQTT-4.6.0-2/3] however the stores finish,
 * which is why an ack with nothing to wait for queues behind held ones.
 *
 * A message a store refused is not acknowledged as received:
 * - MQTT 5: PUBACK/PUBREC with 0x80 "Unspecified error" (§3.4.2.1). 0x97 "Quota exceeded" would
 *   claim a cause we do not know (a dead database is not a quota); the client sees the failure
 *   and keeps the message to send again.
 * - MQTT 3.1.1 has no negative ack and a client resends unacknowledged PUBLISHes only when it
 *   reconnects [MQTT-4.4.0-1], so the connection is closed without the ack: the client
 *   reconnects and resends, instead of holding a message nobody will ever ack.
 * A refused QoS 2 packet id is released, so its resend is routed again rather than taken for a
 * duplicate [MQTT-4.3.3-9 only applies to a message we accepted].
 *
 * The queue is bounded by the Receive Maximum we announce (MQTT 5 §3.2.2.3.3, the broker's
 * maxInflight, applied to MQTT 3.1.1 clients too): when that many acks are owed, reading from the
 * socket pauses until the store catches up, so a slow store back-pressures the publisher through
 * TCP instead of growing memory.
 */
export class AckQueue {
  readonly #ctx: HandlerContext;
  readonly #conn: Connection;
  readonly #entries: PendingAck[] = [];
  #paused = false;

  constructor(ctx: HandlerContext, conn: Connection) {
    this.#ctx = ctx;
    this.#conn = conn;
  }

  /** True when no ack is owed: a new one may then be sent without queueing. */
  get idle(): boolean {
    return this.#entries.length === 0;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** True while reading is paused because the Receive Maximum of acks is owed. */
  get full(): boolean {
    return this.#paused;
  }

  /** Owes the ack for `messageId`, sent once `holds` all succeeded and the broker's own state is durable. */
  add(qos: 1 | 2, messageId: number, reasonCode: number, holds: Holds | undefined): void {
    const entry: PendingAck = {
      qos,
      messageId,
      reasonCode,
      waiting: holds?.length ?? 0,
      failed: false,
      holds,
      session: this.#conn.session,
    };
    this.#entries.push(entry);
    const { session } = entry;
    if (qos === 2 && holds && session) {
      let held = heldQos2.get(session);
      if (!held) heldQos2.set(session, (held = new Map<number, Holds>()));
      held.set(messageId, holds);
    }
    if (!this.#ctx.durable) {
      entry.waiting++;
      this.#ctx.afterDurable(() => this.#settle(entry, true));
    }
    if (holds) for (const hold of holds) void hold.then((ok) => this.#settle(entry, ok));
    if (this.#entries.length >= this.#conn.inflightLimit && !this.#paused) {
      this.#paused = true;
      this.#conn.pauseInput();
    }
    this.#flush();
  }

  #forget(entry: PendingAck): void {
    const held = entry.session && heldQos2.get(entry.session);
    if (held?.get(entry.messageId) === entry.holds) held!.delete(entry.messageId);
  }

  #settle(entry: PendingAck, ok: boolean): void {
    if (!ok) entry.failed = true;
    entry.waiting--;
    this.#flush();
  }

  #flush(): void {
    const entries = this.#entries;
    let sent = 0;
    while (sent < entries.length && entries[sent]!.waiting === 0) {
      const entry = entries[sent++]!;
      if (entry.holds && entry.qos === 2) this.#forget(entry);
      // A closed connection's client resends what it has no ack for; nothing is sent to it.
      if (this.#conn.closed) {
        if (entry.failed && entry.qos === 2) this.#conn.session?.releaseQos2(entry.messageId);
        continue;
      }
      if (!entry.failed) {
        sendPublishAck(this.#conn, entry.qos, entry.messageId, entry.reasonCode);
        continue;
      }
      if (entry.qos === 2) this.#conn.session?.releaseQos2(entry.messageId);
      if (this.#conn.protocolVersion === 5) {
        sendPublishAck(this.#conn, entry.qos, entry.messageId, UNSPECIFIED_ERROR);
        continue;
      }
      this.#conn.close('not_stored', {
        detail: `message ${entry.messageId} was not stored; not acknowledged`,
      });
    }
    if (sent === 0) return;
    entries.splice(0, sent);
    if (this.#paused && entries.length < this.#conn.inflightLimit) {
      this.#paused = false;
      this.#conn.resumeInput();
    }
  }
}
