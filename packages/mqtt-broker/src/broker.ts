import { systemClock, silentLogger, type Clock, type Logger } from '@watershed/common';
import type { Duplex } from 'node:stream';
import { AdminHub } from './admin/hub.js';
import { BrokerEventBus } from './broker-events.js';
import { BrokerListeners } from './broker-listeners.js';
import { startBrokerStatus } from './broker-status.js';
import { Connection } from './connection.js';
import type { HandlerContext, ResolvedLimits } from './context.js';
import { resolveLimits } from './limits.js';
import { BrokerErrors } from './errors.js';
import type { StreamOrigin } from './listeners/serve.js';
import { PersistentRetainedStore } from './persistence/persistent-retained-store.js';
import type { BrokerPersistence } from './persistence/types.js';
import { MemoryRetainedStore, type RetainedStore } from './retained-store.js';
import { RetainGate } from './retain-gate.js';
import { localMessage, subscribeLocal } from './in-process.js';
import { Router, type Holds } from './router.js';
import type { SysTopics } from './sys-topics.js';
import { SessionRegistry } from './session-registry.js';
import type { Outgoing, Session, SessionHooks, SessionSubscription } from './session.js';
import { MemorySessionStore, type SessionStore } from './session-store.js';
import { newTraffic, type Traffic } from './traffic.js';
import type {
  Broker,
  BrokerEventName,
  BrokerEvents,
  BrokerMessage,
  BrokerOptions,
  BrokerStats,
  ClientInfo,
  DropReason,
  Listener,
  LocalSubscribeOptions,
  MqttBrokerOptions,
  PublishInput,
  TcpListenOptions,
  TlsListenOptions,
  WsListenOptions,
} from './types.js';

/**
 * The broker: owns listeners, connections, sessions, the subscription router and the retained
 * store. Packet handlers see it only through HandlerContext; applications through Broker.
 */
export class MqttBroker implements Broker, HandlerContext {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limits: ResolvedLimits;
  readonly nodeName: string;
  readonly retained: RetainedStore;
  readonly authenticate: BrokerOptions['authenticate'];
  readonly enhancedAuth: BrokerOptions['enhancedAuth'];
  readonly authorizePublish: BrokerOptions['authorizePublish'];
  readonly authorizeSubscribe: BrokerOptions['authorizeSubscribe'];
  /** The operator's side (admin/): ban check at CONNECT, listeners, read access for BrokerAdmin. */
  readonly admin: AdminHub;
  readonly traffic: Traffic = newTraffic();

  readonly #sessions: SessionRegistry;
  readonly #router: Router;
  /** Every open connection, including those not yet past CONNECT. */
  readonly #sockets = new Set<Connection>();
  readonly #listeners: BrokerListeners;
  readonly #events: BrokerEventBus;
  readonly #retainGate: RetainGate;
  #localIds = 0;
  #messagesIn = 0;
  #messagesOut = 0;
  #dropped = 0;
  #closing: Promise<void> | undefined;
  readonly #sys: SysTopics;
  readonly #persistence: BrokerPersistence | undefined;

  constructor(opts: MqttBrokerOptions = {}, sessions: SessionStore = new MemorySessionStore()) {
    this.clock = opts.clock ?? systemClock;
    // The caller names the component with its own child logger.
    this.logger = opts.logger ?? silentLogger();
    this.limits = resolveLimits(opts.limits);
    this.nodeName = opts.nodeName ?? 'watershed';
    this.authenticate = opts.authenticate;
    this.enhancedAuth = opts.enhancedAuth;
    this.authorizePublish = opts.authorizePublish;
    this.authorizeSubscribe = opts.authorizeSubscribe;
    const persistence = (this.#persistence = opts.persistence);
    this.admin = new AdminHub(this.clock, this.#sockets, sessions, persistence);
    const restored = persistence?.load();
    this.retained = persistence
      ? new PersistentRetainedStore(persistence, restored?.retained)
      : new MemoryRetainedStore();
    this.#router = new Router(this.logger, this.retained);
    this.#retainGate = new RetainGate(this.retained, this.limits.maxRetained, this.logger);
    this.#events = new BrokerEventBus(this.logger);
    this.#listeners = new BrokerListeners(this.accept, this.admin, this.logger, this.limits.maxPacketSize);
    const hooks: SessionHooks = {
      clock: this.clock,
      maxQueued: this.limits.maxQueuedPerClient,
      queueQos0Offline: this.limits.queueQos0Offline,
      sent: () => {
        this.#messagesOut++;
      },
      dropped: (clientId: string, out: Outgoing, reason: DropReason) => {
        this.#dropped++;
        this.emit('message_dropped', { clientId, topic: out.topic, reason });
      },
    };
    this.#sessions = new SessionRegistry({
      clock: this.clock,
      store: sessions,
      router: this.#router,
      hooks,
      publishWill: (m) => {
        if (m.retain) this.retain(m);
        this.route(m);
      },
      ...(persistence && { persistence }),
    });
    if (persistence && restored) {
      this.#sessions.restore(restored);
      this.logger.info(
        {
          location: persistence.location,
          sessions: restored.sessions.length,
          retained: restored.retained.length,
          wills: restored.wills.length,
        },
        'MQTT broker state restored',
      );
    }
    this.#sys = startBrokerStatus({
      clock: this.clock,
      node: this.nodeName,
      intervalMs: opts.sysIntervalMs ?? 10_000,
      metrics: opts.metrics,
      stats: () => ({ ...this.stats(), sockets: this.#sockets.size }),
      retained: this.retained,
      router: this.#router,
    });
  }

  // ── public API ──────────────────────────────────────────────────────────────────────────

  async listenTcp(opts: TcpListenOptions): Promise<Listener> {
    this.#assertOpen();
    return this.#listeners.tcp(opts);
  }

  async listenTls(opts: TlsListenOptions): Promise<Listener> {
    this.#assertOpen();
    return this.#listeners.tls(opts);
  }

  async listenWs(opts: WsListenOptions): Promise<Listener> {
    this.#assertOpen();
    return this.#listeners.ws(opts);
  }

  /** Serves one already-open byte stream (a listener's socket, a WebSocket stream, a test pipe). */
  readonly accept = (stream: Duplex, remoteAddress: string | undefined, origin: StreamOrigin = {}): void => {
    if (this.#closing) {
      stream.destroy();
      return;
    }
    const conn = new Connection(this, stream, remoteAddress, origin);
    // No per-socket 'close' listener here: the connection reports its end (socketReleased),
    // which saves a closure per idle connection (docs/benchmarks.md, idle-conn-rss).
    this.#sockets.add(conn);
  };

  subscribe(
    filter: string,
    onMessage: (m: BrokerMessage) => void,
    opts: LocalSubscribeOptions = {},
  ): () => void {
    const { maxTopicLevels } = this.limits;
    return subscribeLocal(
      this.#router,
      ++this.#localIds,
      filter,
      { durable: false, onMessage },
      { ...opts, maxTopicLevels, now: this.clock.now() },
    );
  }

  subscribeDurable(
    filter: string,
    store: (m: BrokerMessage) => Promise<void>,
    opts: LocalSubscribeOptions = {},
  ): () => void {
    const { maxTopicLevels } = this.limits;
    return subscribeLocal(
      this.#router,
      ++this.#localIds,
      filter,
      { durable: true, onMessage: store },
      { ...opts, maxTopicLevels, now: this.clock.now() },
    );
  }

  publish(m: PublishInput): void {
    this.#assertOpen();
    const message = localMessage(m, this.limits.maxTopicLevels, this.clock.now());
    if (message.retain) this.retain(message);
    this.route(message);
  }

  on<E extends BrokerEventName>(event: E, listener: BrokerEvents[E]): () => void {
    return this.#events.on(event, listener);
  }

  stats(): BrokerStats {
    return {
      clients: this.#sessions.connected,
      subscriptions: this.#router.size,
      retained: this.retained.size,
      messagesIn: this.#messagesIn,
      messagesOut: this.#messagesOut,
      dropped: this.#dropped,
      ...this.traffic,
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  // ── HandlerContext ──────────────────────────────────────────────────────────────────────

  get connectedCount(): number {
    return this.#sessions.connected;
  }

  isConnected(clientId: string): boolean {
    return this.#sessions.isConnected(clientId);
  }

  openSession(
    conn: Connection,
    clientId: string,
    cleanStart: boolean,
    expiryInterval: number,
  ): { session: Session; present: boolean } {
    return this.#sessions.open(conn, clientId, cleanStart, expiryInterval);
  }

  clientConnected(
    conn: Connection,
    info: ClientInfo & { cleanStart: boolean; sessionPresent: boolean },
  ): void {
    this.logger.debug(
      { clientId: conn.clientId, remoteAddress: conn.remoteAddress },
      'MQTT client connected',
    );
    this.emit('client_connected', info);
  }

  route(message: BrokerMessage): boolean {
    this.#messagesIn++;
    return this.#router.route(message);
  }

  takeHolds(): Holds | undefined {
    return this.#router.takeHolds();
  }

  retain(message: BrokerMessage): void {
    this.#retainGate.retain(message);
  }

  addSubscription(session: Session, sub: SessionSubscription): boolean {
    const previous = session.subscriptions.get(sub.raw);
    session.setSubscription(sub);
    // Same filter again replaces the subscription in place [MQTT-3.8.4-3].
    this.#router.addSession(session, sub);
    this.#persistSubscription(session, sub.raw, sub);
    this.emit('session_subscribed', { clientId: session.clientId, filter: sub.raw, qos: sub.qos });
    return previous === undefined;
  }

  removeSubscription(session: Session, raw: string): boolean {
    const sub = session.subscriptions.get(raw);
    if (!sub) return false;
    session.deleteSubscription(raw);
    this.#router.removeSession(session, sub);
    this.#persistSubscription(session, raw, undefined);
    this.emit('session_unsubscribed', { clientId: session.clientId, filter: raw });
    return true;
  }

  deliverRetained(session: Session, sub: SessionSubscription): void {
    this.#router.deliverRetained(session, sub, this.clock.now());
  }

  socketReleased(conn: Connection): void {
    this.#sockets.delete(conn);
  }

  connectionClosed(
    conn: Connection,
    info: { graceful: boolean; reason: string; publishWill: boolean },
  ): void {
    this.#sessions.closed(conn, info.publishWill);
    this.emit('client_disconnected', {
      clientId: conn.clientId,
      graceful: info.graceful,
      reason: info.reason,
    });
  }

  emit<E extends keyof BrokerEvents>(event: E, ...args: Parameters<BrokerEvents[E]>): void {
    this.#events.emit(event, ...args);
  }

  get durable(): boolean {
    return this.#persistence === undefined || this.#persistence.durable;
  }

  afterDurable(fn: () => void): void {
    if (this.#persistence === undefined) fn();
    else this.#persistence.afterDurable(fn);
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────

  /**
   * Records a persistent session's subscription change and commits it at once: SUBACK and
   * UNSUBACK follow, and a client told it is subscribed must stay subscribed through a crash.
   * Subscribing is not the hot path; one small transaction per filter.
   */
  #persistSubscription(session: Session, raw: string, sub: SessionSubscription | undefined): void {
    const journal = session.journal;
    if (journal === undefined) return;
    if (sub) journal.subscriptionSaved(session.clientId, sub);
    else journal.subscriptionDeleted(session.clientId, raw);
    this.#persistence?.flush();
  }

  #assertOpen(): void {
    if (this.#closing) throw BrokerErrors.BROKER_CLOSED.create();
  }

  async #shutdown(): Promise<void> {
    this.logger.info({ node: this.nodeName }, 'MQTT broker closing');
    this.#sys.stop();
    for (const conn of [...this.#sockets]) conn.close('server_shutdown', { reasonCode: 0x8b });
    await this.#listeners.closeAll();
    this.#sessions.shutdown();
    // After the connections: their sessions were saved as disconnected, and that is written too.
    await this.#persistence?.close();
  }
}

/** Creates a broker; sessions and retained messages are in memory unless `persistence` is given. */
export function createBroker(opts: MqttBrokerOptions = {}): Broker {
  return new MqttBroker(opts);
}
