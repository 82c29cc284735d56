import { systemClock, silentLogger, type Clock, type Logger } from '@watershed/common';
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { AdminHub } from './admin/hub.js';
import { Connection } from './connection.js';
import type { HandlerContext, ResolvedLimits } from './context.js';
import { resolveLimits } from './limits.js';
import { BrokerErrors } from './errors.js';
import type { StreamOrigin } from './listeners/serve.js';
import { listenTcp } from './listeners/tcp.js';
import { listenTls } from './listeners/tls.js';
import { listenWs } from './listeners/ws.js';
import { registerBrokerMetrics } from './metrics.js';
import { PersistentRetainedStore } from './persistence/persistent-retained-store.js';
import type { BrokerPersistence } from './persistence/types.js';
import { MemoryRetainedStore, type RetainedStore } from './retained-store.js';
import { Router, type LocalSubscriber } from './router.js';
import { SysTopics } from './sys-topics.js';
import { SessionRegistry } from './session-registry.js';
import type { Outgoing, Session, SessionHooks, SessionSubscription } from './session.js';
import { MemorySessionStore, type SessionStore } from './session-store.js';
import { parseSubscriptionFilter, topicNameError } from './topic/validate.js';
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

  readonly #sessions: SessionRegistry;
  readonly #router: Router;
  /** Every open connection, including those not yet past CONNECT. */
  readonly #sockets = new Set<Connection>();
  readonly #listeners = new Set<Listener>();
  readonly #events = new EventEmitter();
  #localIds = 0;
  #messagesIn = 0;
  #messagesOut = 0;
  #dropped = 0;
  #retainedRefused = 0;
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
    this.#events.setMaxListeners(0);
    const stats = (): BrokerStats & { sockets: number } => ({ ...this.stats(), sockets: this.#sockets.size });
    if (opts.metrics) registerBrokerMetrics(opts.metrics, this.nodeName, stats);
    this.#sys = new SysTopics({
      clock: this.clock,
      node: this.nodeName,
      intervalMs: opts.sysIntervalMs ?? 10_000,
      stats,
      // Status messages are the broker's own: routed and retained, not counted as traffic.
      publish: (topic, payload) => {
        const message: BrokerMessage = {
          topic,
          payload: Buffer.from(payload),
          qos: 0,
          retain: true,
          receivedAt: this.clock.now(),
        };
        this.retained.set(message);
        this.#router.route(message);
      },
    });
    this.#sys.start();
  }

  // ── public API ──────────────────────────────────────────────────────────────────────────

  async listenTcp(opts: TcpListenOptions): Promise<Listener> {
    this.#assertOpen();
    return this.#track(await listenTcp(this.accept, opts), 'tcp', opts.name);
  }

  async listenTls(opts: TlsListenOptions): Promise<Listener> {
    this.#assertOpen();
    return this.#track(await listenTls(this.accept, opts, this.logger), 'tls', opts.name);
  }

  async listenWs(opts: WsListenOptions): Promise<Listener> {
    this.#assertOpen();
    return this.#track(
      await listenWs(this.accept, opts, this.limits.maxPacketSize),
      opts.tls ? 'wss' : 'ws',
      opts.name,
    );
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
    const parsed = parseSubscriptionFilter(filter, this.limits.maxTopicLevels);
    if (typeof parsed === 'string') throw BrokerErrors.INVALID_FILTER.create([filter, parsed]);
    const local: LocalSubscriber = { kind: 'local', id: ++this.#localIds, onMessage };
    this.#router.addLocal(parsed.filter, parsed.group, local);
    if (opts.retained && parsed.group === undefined)
      this.#router.replayRetained(parsed.filter, local, this.clock.now());
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.#router.removeLocal(parsed.filter, parsed.group, local);
    };
  }

  publish(m: PublishInput): void {
    this.#assertOpen();
    const err = topicNameError(m.topic, this.limits.maxTopicLevels);
    if (err) throw BrokerErrors.INVALID_TOPIC.create([m.topic, err]);
    const message: BrokerMessage = {
      topic: m.topic,
      payload: typeof m.payload === 'string' ? Buffer.from(m.payload) : m.payload,
      qos: m.qos ?? 0,
      retain: m.retain ?? false,
      receivedAt: this.clock.now(),
      ...(m.properties && { properties: m.properties }),
    };
    if (message.retain) this.retain(message);
    this.route(message);
  }

  on<E extends BrokerEventName>(event: E, listener: BrokerEvents[E]): () => void {
    // A throwing listener is logged; it must not break the packet path that emitted the event.
    const wrapped = (...args: unknown[]): void => {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (err) {
        this.logger.error({ err, event }, 'broker event listener threw');
      }
    };
    this.#events.on(event, wrapped);
    return () => {
      this.#events.off(event, wrapped);
    };
  }

  stats(): BrokerStats {
    return {
      clients: this.#sessions.connected,
      subscriptions: this.#router.size,
      retained: this.retained.size,
      messagesIn: this.#messagesIn,
      messagesOut: this.#messagesOut,
      dropped: this.#dropped,
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

  retain(message: BrokerMessage): void {
    // [MQTT-3.3.1-6/7] a retained PUBLISH with an empty payload removes the topic's message.
    if (message.payload.length === 0) {
      this.retained.delete(message.topic);
      return;
    }
    // Bounded memory: at the cap, existing topics may still be updated but no new ones added;
    // the message is routed as usual, only not kept.
    if (this.retained.size >= this.limits.maxRetained && !this.retained.has(message.topic)) {
      this.#retainedRefused++;
      if (this.#retainedRefused === 1 || this.#retainedRefused % 1000 === 0) {
        this.logger.warn(
          { topic: message.topic, limit: this.limits.maxRetained, refused: this.#retainedRefused },
          'retained message limit reached',
        );
      }
      return;
    }
    this.retained.set(message.retain ? message : { ...message, retain: true });
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
    if (this.#events.listenerCount(event) > 0) this.#events.emit(event, ...args);
  }

  get durable(): boolean {
    return this.#persistence === undefined || this.#persistence.durable;
  }

  afterDurable(fn: () => void): void {
    if (this.#persistence === undefined) fn();
    else this.#persistence.afterDurable(fn);
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────

  #track(listener: Listener, type: 'tcp' | 'tls' | 'ws' | 'wss', name: string | undefined): Listener {
    this.#listeners.add(listener);
    const meta = this.admin.listenerOpened({ type, name, host: listener.host, port: listener.port });
    return {
      port: listener.port,
      host: listener.host,
      close: async () => {
        this.#listeners.delete(listener);
        this.admin.listenerClosed(meta);
        await listener.close();
      },
    };
  }

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
    await Promise.all([...this.#listeners].map((l) => l.close()));
    this.#listeners.clear();
    this.#sessions.shutdown();
    // After the connections: their sessions were saved as disconnected, and that is written too.
    await this.#persistence?.close();
  }
}

/** Creates a broker; sessions and retained messages are in memory unless `persistence` is given. */
export function createBroker(opts: MqttBrokerOptions = {}): Broker {
  return new MqttBroker(opts);
}
