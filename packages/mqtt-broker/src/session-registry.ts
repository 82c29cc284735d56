import type { Clock, TimerHandle } from '@watershed/common';
import type { Connection } from './connection.js';
import type { BrokerPersistence, PersistedState, PersistedWill } from './persistence/types.js';
import type { Router } from './router.js';
import { Session, type SessionHooks } from './session.js';
import type { SessionStore } from './session-store.js';
import type { BrokerMessage } from './types.js';

/** Session Expiry Interval meaning "never" (MQTT 5 §3.1.2.11.2); MQTT 3 persistent sessions use it. */
const NEVER_EXPIRES = 0xffffffff;
/** Longest delay a Node timer can take (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 0x7fffffff;

/**
 * Session lifecycle: which connection holds which client id, takeover, clean start, resumption,
 * expiry of detached sessions, and wills (immediate or delayed). Owns the expiry and will
 * timers and clears them in `shutdown`.
 */
export class SessionRegistry {
  readonly #clock: Clock;
  readonly #store: SessionStore;
  readonly #router: Router;
  readonly #hooks: SessionHooks;
  readonly #publishWill: (m: BrokerMessage) => void;
  /** Connected clients by client id; the takeover rule [MQTT-3.1.4-3] looks here. */
  readonly #clients = new Map<string, Connection>();
  /** Wills waiting out their MQTT 5 Will Delay Interval, by client id. */
  readonly #delayedWills = new Map<string, { timer: TimerHandle; publish: () => void }>();
  /** Durable home of persistent sessions and delayed wills; undefined keeps them in memory. */
  readonly #persistence: BrokerPersistence | undefined;

  constructor(opts: {
    clock: Clock;
    store: SessionStore;
    router: Router;
    hooks: SessionHooks;
    publishWill: (m: BrokerMessage) => void;
    persistence?: BrokerPersistence;
  }) {
    this.#clock = opts.clock;
    this.#store = opts.store;
    this.#router = opts.router;
    this.#hooks = opts.hooks;
    this.#publishWill = opts.publishWill;
    this.#persistence = opts.persistence;
  }

  /** Clients past CONNECT. */
  get connected(): number {
    return this.#clients.size;
  }

  isConnected(clientId: string): boolean {
    return this.#clients.has(clientId);
  }

  /** Hands `clientId` to `conn`, taking over a live connection and resuming or replacing its session. */
  open(
    conn: Connection,
    clientId: string,
    cleanStart: boolean,
    expiryInterval: number,
  ): { session: Session; present: boolean } {
    const previous = this.#clients.get(clientId);
    if (previous && previous !== conn) {
      // [MQTT-3.1.4-3] a second connection with the same client id takes the session over;
      // the old one is closed (MQTT 5: DISCONNECT 0x8E Session taken over).
      previous.close('takeover', { reasonCode: 0x8e });
    }
    let session = this.#store.get(clientId);
    if (session && cleanStart) {
      // [MQTT-3.1.2-4] / MQTT 5 Clean Start: discard the old session and start afresh.
      this.#end(session, false);
      session = undefined;
    }
    const present = session !== undefined;
    if (session) {
      if (session.expiryTimer) this.#clock.clearTimeout(session.expiryTimer);
      session.expiryTimer = undefined;
      session.expiryInterval = expiryInterval;
    } else {
      session = new Session(clientId, expiryInterval, this.#hooks);
      this.#store.set(session);
    }
    // A delayed will is cancelled when the session is resumed in time (MQTT 5 §3.1.3.2.2).
    const will = this.#delayedWills.get(clientId);
    if (will) {
      this.#clock.clearTimeout(will.timer);
      this.#delayedWills.delete(clientId);
      this.#persistence?.willDeleted(clientId);
    }
    this.#clients.set(clientId, conn);
    this.#persist(session, conn);
    return { session, present };
  }

  /**
   * Records a session that outlives its connection and stops recording one that does not.
   * CONNACK follows this call, so the change is committed now: a client told "session present"
   * after a crash finds it present (connects are not the hot path; one small transaction each).
   */
  #persist(session: Session, conn: Connection): void {
    const persistence = this.#persistence;
    if (!persistence) return;
    if (session.expiryInterval > 0) {
      session.persistTo(persistence);
      persistence.sessionSaved(session.clientId, session.expiryInterval, undefined);
      // The will is armed while the client is connected: a crash closes the connection without
      // DISCONNECT, so after the restart the will is due [MQTT-3.1.2-8].
      if (conn.will) {
        persistence.willSaved({
          clientId: session.clientId,
          message: this.#willMessage(conn),
          publishAt: undefined,
          delaySeconds: Math.min(conn.willDelaySeconds, session.expiryInterval),
        });
      } else {
        persistence.willDeleted(session.clientId);
      }
    } else if (session.journal) {
      // Resumed with Session Expiry 0: the session ends with this connection, and a crash ends
      // a connection, so the stored copy goes now.
      persistence.sessionDeleted(session.clientId);
      session.persistTo(undefined);
    }
    if (!persistence.durable) persistence.flush();
  }

  /**
   * Puts back the persistent sessions and delayed wills of the previous run. A session whose
   * client was connected when the broker stopped counts as disconnected now; sessions and
   * wills whose time ran out while the broker was down end (or are published) at once, after
   * every session is back, so a will reaches subscribers restored with it.
   */
  restore(state: PersistedState): void {
    const now = this.#clock.now();
    const restored: Array<{ session: Session; since: number }> = [];
    for (const p of state.sessions) {
      const session = new Session(p.clientId, p.expiryInterval, this.#hooks);
      session.restore(p);
      for (const sub of p.subscriptions) {
        session.setSubscription(sub);
        this.#router.addSession(session, sub);
      }
      session.persistTo(this.#persistence);
      this.#store.set(session);
      if (p.disconnectedAt === undefined) this.#persistence?.sessionSaved(p.clientId, p.expiryInterval, now);
      restored.push({ session, since: p.disconnectedAt ?? now });
    }
    const due: Array<() => void> = [];
    for (const stored of state.wills) {
      // An armed will: its client was connected when the broker stopped, so it went away now,
      // as far as the will and its delay are concerned. Recorded as such, so a second crash
      // does not restart the delay.
      const armed = stored.publishAt === undefined;
      const publishAt = stored.publishAt ?? now + stored.delaySeconds * 1000;
      const w: PersistedWill = armed
        ? { ...stored, message: { ...stored.message, receivedAt: now }, publishAt }
        : stored;
      const publish = (): void => {
        this.#delayedWills.delete(w.clientId);
        this.#persistence?.willDeleted(w.clientId);
        this.#publishWill(w.message);
      };
      if (publishAt <= now) {
        due.push(publish);
        continue;
      }
      if (armed) this.#persistence?.willSaved(w);
      const timer = this.#clock.setTimeout(publish, Math.min(publishAt - now, MAX_TIMER_MS));
      this.#delayedWills.set(w.clientId, { timer, publish });
    }
    for (const { session, since } of restored) this.#detached(session, since);
    for (const publish of due) publish();
  }

  /** A connected client went away: detach its session, publish or schedule its will, start expiry. */
  closed(conn: Connection, publishWill: boolean): void {
    if (this.#clients.get(conn.clientId) === conn) this.#clients.delete(conn.clientId);
    const session = conn.session;
    if (!session) return;
    session.detach(conn);
    if (publishWill && conn.will) {
      this.#scheduleWill(conn, session);
    } else if (conn.will && !session.online) {
      // DISCONNECT discards the will [MQTT-3.1.2-10]: disarm the stored one, unless a newer
      // connection holds the session (with its own will) by now.
      session.journal?.willDeleted(conn.clientId);
    }
    // A session attached to a newer connection (takeover) is not ours to end.
    if (!session.online && this.#store.get(session.clientId) === session) {
      // MQTT 5 DISCONNECT may have changed the expiry; the clock starts now either way.
      if (session.expiryInterval > 0)
        session.journal?.sessionSaved(session.clientId, session.expiryInterval, this.#clock.now());
      this.#detached(session, this.#clock.now());
    }
  }

  /** Stops every timer; sessions stay in the store. */
  shutdown(): void {
    for (const session of this.#store.values()) {
      if (session.expiryTimer) this.#clock.clearTimeout(session.expiryTimer);
      session.expiryTimer = undefined;
    }
    for (const will of this.#delayedWills.values()) this.#clock.clearTimeout(will.timer);
    this.#delayedWills.clear();
  }

  /**
   * Publishes a will now, or after the MQTT 5 Will Delay Interval, whichever of that and the
   * session's end comes first [MQTT-3.1.3-9].
   */
  #scheduleWill(conn: Connection, session: Session): void {
    const clientId = conn.clientId;
    const message = this.#willMessage(conn);
    const journal = session.journal;
    const publish = (): void => {
      this.#delayedWills.delete(clientId);
      journal?.willDeleted(clientId);
      this.#publishWill(message);
    };
    const delay = Math.min(conn.willDelaySeconds, session.expiryInterval);
    if (delay <= 0) {
      publish();
      return;
    }
    const timer = this.#clock.setTimeout(publish, Math.min(delay * 1000, MAX_TIMER_MS));
    this.#delayedWills.set(clientId, { timer, publish });
    // A persistent session's delayed will survives a restart: published then if overdue.
    journal?.willSaved({
      clientId,
      message,
      publishAt: this.#clock.now() + delay * 1000,
      delaySeconds: delay,
    });
  }

  #willMessage(conn: Connection): BrokerMessage {
    const will = conn.will!;
    return {
      topic: will.topic,
      payload: will.payload,
      qos: will.qos,
      retain: will.retain,
      clientId: conn.clientId,
      receivedAt: this.#clock.now(),
      ...(will.properties && { properties: will.properties }),
    };
  }

  /** Starts the expiry of a session whose client went away at `since`. */
  #detached(session: Session, since: number): void {
    if (session.expiryInterval === 0) {
      this.#end(session, true);
      return;
    }
    if (session.expiryInterval === NEVER_EXPIRES) return;
    const endAt = since + session.expiryInterval * 1000;
    const arm = (): void => {
      const left = endAt - this.#clock.now();
      if (left <= 0) {
        session.expiryTimer = undefined;
        this.#end(session, true);
        return;
      }
      session.expiryTimer = this.#clock.setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
  }

  /** Removes a session and its subscriptions; with `flushWill`, a will still delayed is published now. */
  #end(session: Session, flushWill: boolean): void {
    if (session.expiryTimer) this.#clock.clearTimeout(session.expiryTimer);
    session.expiryTimer = undefined;
    for (const sub of session.subscriptions.values()) this.#router.removeSession(session, sub);
    session.clearSubscriptions();
    this.#store.delete(session.clientId);
    session.journal?.sessionDeleted(session.clientId);
    session.persistTo(undefined);
    const will = this.#delayedWills.get(session.clientId);
    if (will && flushWill) {
      this.#clock.clearTimeout(will.timer);
      will.publish();
    }
  }
}
