import { Counter, Gauge, type Clock, type Logger, type Registry } from '@watershed/common';
import { BrokerErrors, type PublishInput } from '@watershed/mqtt-broker';
import { MqttBridgeIngress, type BridgedMessage, type IngressLinkChange } from '@watershed/sink-mqtt-bridge';
import type { BridgesConfig, IngressBridgeConfig } from './config.js';

/** The slice of the platform broker a bridge needs: in-process publish. */
export interface BridgeBroker {
  publish(m: PublishInput): void;
}

/** One bridge as /healthz and the console report it. */
export interface BridgeHealth {
  readonly id: string;
  readonly direction: 'ingress';
  /** Connected to the remote and subscribed. */
  readonly connected: boolean;
  readonly detail: string;
  readonly lastError?: string;
  /** Messages taken from the remote and published here. */
  readonly messagesIn: number;
  /** Messages acknowledged to the remote but not published here (their mapped topic is invalid). */
  readonly dropped: number;
}

export interface StartBridgesOptions {
  readonly config: BridgesConfig | undefined;
  /** The platform broker: bridged messages are published into it in process. */
  readonly broker: BridgeBroker;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics?: Registry;
}

export interface RunningBridges {
  health(): readonly BridgeHealth[];
  /** `bridge:<id>` entries for the console's /healthz: a bridge that is down is not ok. */
  healthChecks(): Record<string, { ok: boolean; detail: string }>;
  /** Resolves once every enabled bridge subscribed at its remote (tests, start-up ordering). */
  ready(timeoutMs?: number): Promise<void>;
  /** Ends every link; messages not yet published here stay unacknowledged at the remote. */
  close(): Promise<void>;
}

/**
 * Starts the `bridges.ingress` entries: each subscribes on its remote broker (a plant broker
 * behind the firewall) and publishes what it receives into the platform broker under the
 * mapped topic, with the remote's QoS and retain flag, so the ingest, rules and MQTT
 * subscribers see it like any gateway's message.
 *
 * Delivery: the in-process publish routes synchronously into every matching session, so when it
 * returns the message is ours; only then does the ingress PUBACK the remote (at-least-once,
 * see MqttBridgeIngress). A publish that fails because the broker is closing leaves the message
 * unacknowledged for the remote to redeliver; one that fails because the mapped topic is not a
 * valid topic name here would fail on every redelivery too, so it is counted as dropped and
 * acknowledged rather than blocking the link behind it forever.
 *
 * Close before the platform broker (cleanup runs in reverse: push this after the broker's close).
 */
export function startBridges(opts: StartBridgesOptions): RunningBridges {
  const { broker, clock, logger } = opts;
  const enabled = (opts.config?.ingress ?? []).filter((b) => b.enabled);
  const metrics = opts.metrics ? bridgeMetrics(opts.metrics) : undefined;
  const bridges = enabled.map((config) => new IngressBridge(config, broker, clock, logger, metrics));
  if (metrics) {
    metrics.up.reset();
    for (const b of bridges) metrics.up.set({ bridge: b.id, direction: 'ingress' }, 0);
  }
  for (const b of bridges) b.start();
  if (bridges.length > 0) logger.info({ bridges: bridges.map((b) => b.id) }, 'ingress bridges started');

  let closing: Promise<void> | undefined;
  return {
    health: () => bridges.map((b) => b.health()),
    healthChecks: () =>
      Object.fromEntries(
        bridges.map((b) => {
          const h = b.health();
          return [`bridge:${h.id}`, { ok: h.connected, detail: h.detail }];
        }),
      ),
    async ready(timeoutMs = 10_000) {
      await Promise.all(bridges.map((b) => b.ready(timeoutMs)));
    },
    close: () => (closing ??= Promise.all(bridges.map((b) => b.close())).then(() => undefined)),
  };
}

interface BridgeMetrics {
  readonly messages: Counter<'bridge' | 'direction'>;
  readonly dropped: Counter<'bridge' | 'direction'>;
  readonly up: Gauge<'bridge' | 'direction'>;
}

function bridgeMetrics(registry: Registry): BridgeMetrics {
  const labelNames = ['bridge', 'direction'] as const;
  return {
    messages: new Counter({
      name: 'watershed_bridge_messages_total',
      help: 'Messages a bridge carried (ingress: taken from the remote and published here)',
      labelNames,
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'watershed_bridge_dropped_total',
      help: 'Messages a bridge acknowledged but could not publish (mapped topic invalid here)',
      labelNames,
      registers: [registry],
    }),
    up: new Gauge({
      name: 'watershed_bridge_up',
      help: '1 while the bridge is connected and subscribed at its remote',
      labelNames,
      registers: [registry],
    }),
  };
}

/** One ingress link with its counters; owns the MqttBridgeIngress. */
class IngressBridge {
  readonly id: string;
  readonly #ingress: MqttBridgeIngress;
  readonly #broker: BridgeBroker;
  readonly #logger: Logger;
  readonly #metrics: BridgeMetrics | undefined;
  readonly #labels: { bridge: string; direction: 'ingress' };
  #messagesIn = 0;
  #dropped = 0;

  constructor(
    config: IngressBridgeConfig,
    broker: BridgeBroker,
    clock: Clock,
    logger: Logger,
    metrics: BridgeMetrics | undefined,
  ) {
    this.id = config.id;
    this.#broker = broker;
    this.#metrics = metrics;
    this.#labels = { bridge: config.id, direction: 'ingress' };
    this.#logger = logger.child({ bridge: config.id });
    const { id: _id, enabled: _enabled, ...ingress } = config;
    this.#ingress = new MqttBridgeIngress(
      ingress,
      {
        clock,
        logger: this.#logger,
        onLinkChange: (change) => this.#linkChanged(change),
      },
      (m) => this.#publish(m),
      config.id,
    );
  }

  start(): void {
    this.#ingress.start();
  }

  ready(timeoutMs: number): Promise<void> {
    return this.#ingress.ready(timeoutMs);
  }

  close(): Promise<void> {
    return this.#ingress.close();
  }

  health(): BridgeHealth {
    const h = this.#ingress.health();
    return {
      id: this.id,
      direction: 'ingress',
      connected: h.state === 'up',
      detail: h.detail,
      ...(h.lastError !== undefined && { lastError: h.lastError }),
      messagesIn: this.#messagesIn,
      dropped: this.#dropped,
    };
  }

  #linkChanged({ state, detail }: IngressLinkChange): void {
    this.#metrics?.up.set(this.#labels, state === 'up' ? 1 : 0);
    if (state === 'up') this.#logger.info({ detail }, 'bridge link up');
    else if (state === 'closed') this.#logger.info('bridge link closed');
    else this.#logger.warn({ detail }, 'bridge link down; reconnecting');
  }

  // async: a throw becomes the rejection that keeps the message unacknowledged at the remote.
  // eslint-disable-next-line @typescript-eslint/require-await
  async #publish(m: BridgedMessage): Promise<void> {
    try {
      this.#broker.publish({
        topic: m.topic,
        payload: m.payload,
        qos: m.qos,
        retain: m.retain,
        ...(m.properties && { properties: localProperties(m.properties) }),
      });
    } catch (err) {
      // Closing: no PUBACK, the remote keeps the message for our session (rejecting does that).
      if (!BrokerErrors.INVALID_TOPIC.is(err)) throw err;
      this.#dropped++;
      this.#metrics?.dropped.inc(this.#labels);
      this.#logger.warn(
        { remoteTopic: m.remoteTopic, topic: m.topic, err: (err as Error).message },
        'bridged message dropped: its mapped topic is not valid here',
      );
      return;
    }
    this.#messagesIn++;
    this.#metrics?.messages.inc(this.#labels);
  }
}

/** The MQTT 5 properties that travel with an application message [MQTT-3.3.2.3]; the rest are per hop. */
function localProperties(
  p: NonNullable<BridgedMessage['properties']>,
): NonNullable<PublishInput['properties']> {
  return {
    ...(p.payloadFormatIndicator !== undefined && { payloadFormatIndicator: p.payloadFormatIndicator }),
    ...(p.messageExpiryInterval !== undefined && { messageExpiryInterval: p.messageExpiryInterval }),
    ...(p.contentType !== undefined && { contentType: p.contentType }),
    ...(p.responseTopic !== undefined && { responseTopic: p.responseTopic }),
    ...(p.correlationData !== undefined && { correlationData: p.correlationData }),
    ...(p.userProperties !== undefined && { userProperties: p.userProperties }),
  };
}
