import type { Clock, TimerHandle } from '@watershed/common';
import type { Connection } from './connection.js';
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

  constructor(opts: {
    clock: Clock;
    store: SessionStore;
    router: Router;
    hooks: SessionHooks;
    publishWill: (m: BrokerMessage) => void;
  }) {
    this.#clock = opts.clock;
    this.#store = opts.store;
    this.#router = opts.router;
    this.#hooks = opts.hooks;
    this.#publishWill = opts.publishWill;
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
    }
    this.#clients.set(clientId, conn);
    return { session, present };
  }

  /** A connected client went away: detach its session, publish or schedule its will, start expiry. */
  closed(conn: Connection, publishWill: boolean): void {
    if (this.#clients.get(conn.clientId) === conn) this.#clients.delete(conn.clientId);
    const session = conn.session;
    if (!session) return;
    session.detach(conn);
    if (publishWill && conn.will) this.#scheduleWill(conn, session);
    // A session attached to a newer connection (takeover) is not ours to end.
    if (!session.online && this.#store.get(session.clientId) === session) this.#detached(session);
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
    const will = conn.will!;
    const clientId = conn.clientId;
    const message: BrokerMessage = {
      topic: will.topic,
      payload: will.payload,
      qos: will.qos,
      retain: will.retain,
      clientId,
      receivedAt: this.#clock.now(),
      ...(will.properties && { properties: will.properties }),
    };
    const publish = (): void => {
      this.#delayedWills.delete(clientId);
      this.#publishWill(message);
    };
    const delay = Math.min(conn.willDelaySeconds, session.expiryInterval);
    if (delay <= 0) {
      publish();
      return;
    }
    const timer = this.#clock.setTimeout(publish, Math.min(delay * 1000, MAX_TIMER_MS));
    this.#delayedWills.set(clientId, { timer, publish });
  }

  #detached(session: Session): void {
    if (session.expiryInterval === 0) {
      this.#end(session, true);
      return;
    }
    if (session.expiryInterval === NEVER_EXPIRES) return;
    const endAt = this.#clock.now() + session.expiryInterval * 1000;
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
    session.subscriptions.clear();
    this.#store.delete(session.clientId);
    const will = this.#delayedWills.get(session.clientId);
    if (will && flushWill) {
      this.#clock.clearTimeout(will.timer);
      will.publish();
    }
  }
}
