import { sleep, type Clock, type Logger } from '@watershed/common';
import mqtt, { type IConnackPacket, type IPublishPacket, type ISubscriptionMap, type MqttClient } from 'mqtt';
import { clientOptions, redactedUrl } from './client-options.js';
import type { MqttIngressConfig } from './config.js';
import { MqttBridgeErrors } from './errors.js';
import { TopicMapper } from './topic-mapping.js';

/** A message taken from the remote broker, its topic already mapped to the local name. */
export interface BridgedMessage {
  readonly topic: string;
  readonly remoteTopic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly properties?: IPublishPacket['properties'];
}

/** A change of the ingress link: subscribed, lost (it reconnects), or ended by `close()`. */
export interface IngressLinkChange {
  readonly state: 'up' | 'down' | 'closed';
  readonly detail: string;
}

export interface IngressDeps {
  readonly logger: Logger;
  readonly clock: Clock;
  /**
   * Called on each transition of the link (subscribed ⇄ not), never on a failed reconnect
   * attempt that leaves it down: the owner logs and reports changes, not every retry.
   */
  readonly onLinkChange?: (change: IngressLinkChange) => void;
}

/**
 * Ingress from a remote broker: subscribes to the configured filters on a persistent session and
 * hands each message, topic mapped, to `onMessage` (the server publishes it into the local
 * broker). Messages are handed over one at a time, in the order the remote sent them, and a
 * QoS 1 message is acknowledged (PUBACK) only after `onMessage` resolved, so a crash or a
 * failing callback loses nothing: the remote still holds the message for our session and
 * redelivers it after the reconnect [MQTT-4.4.0-1]. That makes ingress at-least-once: a message
 * whose PUBACK did not reach the remote arrives again, with the DUP flag set.
 *
 * Lifecycle: `start()` once; the ingress then keeps reconnecting with backoff (on the injected
 * clock) until `close()`, which ends the connection and waits for the loop to finish.
 */
export class MqttBridgeIngress {
  readonly #config: MqttIngressConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #onMessage: (msg: BridgedMessage) => Promise<void>;
  readonly #onLinkChange: ((change: IngressLinkChange) => void) | undefined;
  readonly #mapper: TopicMapper;
  readonly #url: string;
  readonly #name: string;
  readonly #stop = new AbortController();
  #client: MqttClient | undefined;
  #loop: Promise<void> | undefined;
  #subscribed = false;
  #everSubscribed = false;
  #lastError: string | undefined;
  #delivered = 0;

  constructor(
    config: MqttIngressConfig,
    deps: IngressDeps,
    onMessage: (msg: BridgedMessage) => Promise<void>,
    name = config.clientId,
  ) {
    this.#config = config;
    this.#clock = deps.clock;
    this.#url = redactedUrl(config.url);
    this.#name = name;
    this.#logger = deps.logger.child({ ingress: name, remote: this.#url });
    this.#onMessage = onMessage;
    this.#onLinkChange = deps.onLinkChange;
    this.#mapper = new TopicMapper(config.mappings);
    clientOptions(config); // fail at construction on unreadable TLS files
  }

  /** Starts the connect/subscribe loop; resolves at once (see `ready()` to await the first subscription). */
  start(): void {
    if (this.#loop) return;
    this.#loop = this.#run();
  }

  /** Resolves once subscribed on the remote (for start-up ordering and tests). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = this.#clock.now() + timeoutMs;
    while (!this.#subscribed) {
      this.#stop.signal.throwIfAborted();
      if (this.#clock.now() > deadline)
        throw MqttBridgeErrors.NOT_CONNECTED.create([
          this.#name,
          `${this.#url} (${this.#lastError ?? 'pending'})`,
        ]);
      await sleep(this.#clock, 20, this.#stop.signal);
    }
  }

  health(): { state: 'up' | 'down'; detail: string; delivered: number; lastError?: string } {
    const lastError = this.#lastError !== undefined ? { lastError: this.#lastError } : {};
    return this.#subscribed
      ? { state: 'up', detail: `subscribed at ${this.#url}`, delivered: this.#delivered, ...lastError }
      : {
          state: 'down',
          detail: `not connected to ${this.#url}: ${this.#lastError ?? 'starting'}`,
          delivered: this.#delivered,
          ...lastError,
        };
  }

  async close(): Promise<void> {
    this.#stop.abort(MqttBridgeErrors.NOT_CONNECTED.create([this.#name, this.#url]));
    await this.#drop();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { initialMs, maxMs } = this.#config.reconnect;
    let attempt = 0;
    while (!this.#stop.signal.aborted) {
      try {
        await this.#session();
        attempt = 0;
      } catch (err) {
        this.#lastError = (err as Error).message;
        this.#logger.warn({ err: this.#lastError }, 'mqtt ingress connection failed');
      }
      if (this.#stop.signal.aborted) break;
      attempt++;
      const delay = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
      await sleep(this.#clock, delay, this.#stop.signal).catch(() => undefined);
    }
  }

  /** One connection: connect, subscribe if the remote lost our session, then wait for it to close. */
  async #session(): Promise<void> {
    const client = mqtt.connect(this.#config.url, clientOptions(this.#config));
    this.#client = client;
    client.handleMessage = (packet, done) => {
      this.#deliver(client, packet).then(
        () => done(),
        (err: unknown) => {
          // No PUBACK: drop the connection so the remote redelivers this message (and, in
          // order, everything after it) on our next connection.
          this.#lastError = (err as Error).message;
          this.#logger.warn(
            { err: this.#lastError, topic: packet.topic },
            'ingress callback failed; reconnecting',
          );
          void this.#drop();
        },
      );
    };
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    let sessionError: string | undefined;
    client.on('error', (err) => {
      this.#lastError = err.message;
      sessionError = err.message;
    });
    try {
      const connack = await new Promise<IConnackPacket>((resolve, reject) => {
        client.once('connect', resolve);
        client.once('error', reject);
        client.once('close', () => reject(new Error(this.#lastError ?? 'connection closed during CONNECT')));
      });
      if (!connack.sessionPresent || !this.#everSubscribed) await this.#subscribe(client);
      this.#subscribed = true;
      this.#everSubscribed = true;
      this.#logger.info({ sessionPresent: connack.sessionPresent }, 'mqtt ingress subscribed');
      this.#onLinkChange?.({ state: 'up', detail: `subscribed at ${this.#url}` });
      await closed;
    } finally {
      const wasUp = this.#subscribed;
      this.#subscribed = false;
      await this.#drop(client);
      if (wasUp)
        this.#onLinkChange?.(
          this.#stop.signal.aborted
            ? { state: 'closed', detail: 'closed' }
            : { state: 'down', detail: sessionError ?? 'connection closed by the remote' },
        );
    }
  }

  async #subscribe(client: MqttClient): Promise<void> {
    const map: ISubscriptionMap = {};
    for (const s of this.#config.subscriptions) {
      // MQTT 5 Retain Handling 1 [MQTT-3.3.1-10]: retained messages only for a new subscription.
      map[s.filter] = this.#config.protocolVersion === 5 ? { qos: s.qos, rh: 1 } : { qos: s.qos };
    }
    const granted = await client.subscribeAsync(map);
    const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
    if (refused.length > 0) this.#logger.error({ refused }, 'remote refused subscriptions');
  }

  async #deliver(client: MqttClient, packet: IPublishPacket): Promise<void> {
    // A message still being handed over from a connection already replaced: leave it
    // unacknowledged, the remote redelivers it on the current one.
    if (this.#client !== client) throw MqttBridgeErrors.LINK_LOST.create([this.#name, this.#url]);
    const remoteTopic = packet.topic;
    const msg: BridgedMessage = {
      topic: this.#mapper.map(remoteTopic),
      remoteTopic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      qos: packet.qos,
      retain: packet.retain,
      ...(packet.properties ? { properties: packet.properties } : {}),
    };
    await this.#onMessage(msg);
    this.#delivered++;
  }

  async #drop(client = this.#client): Promise<void> {
    if (!client) return;
    if (this.#client === client) this.#client = undefined;
    await client.endAsync(true);
  }
}
