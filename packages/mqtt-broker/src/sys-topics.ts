import type { Clock, TimerHandle } from '@watershed/common';
import type { BrokerStats } from './types.js';

/** Broker software version reported on `$SYS/brokers/{node}/version`. */
export const BROKER_VERSION = 'watershed-mqtt-broker 0.1.0';

/**
 * Periodic `$SYS/brokers/{node}/…` status topics (the convention Mosquitto and EMQX share).
 * Published retained so a subscriber sees current values at once; `$` topics are never
 * matched by a leading wildcard, so ordinary `#` subscribers do not receive them [MQTT-4.7.2-1].
 */
export class SysTopics {
  readonly #clock: Clock;
  readonly #prefix: string;
  readonly #intervalMs: number;
  readonly #stats: () => BrokerStats & { sockets: number };
  readonly #publish: (topic: string, payload: string) => void;
  readonly #startedAt: number;
  #timer: TimerHandle | undefined;

  constructor(opts: {
    clock: Clock;
    node: string;
    intervalMs: number;
    stats: () => BrokerStats & { sockets: number };
    publish: (topic: string, payload: string) => void;
  }) {
    this.#clock = opts.clock;
    this.#prefix = `$SYS/brokers/${opts.node}/`;
    this.#intervalMs = opts.intervalMs;
    this.#stats = opts.stats;
    this.#publish = opts.publish;
    this.#startedAt = opts.clock.now();
  }

  start(): void {
    if (this.#intervalMs <= 0 || this.#timer) return;
    this.#publish(`${this.#prefix}version`, BROKER_VERSION);
    this.#timer = this.#clock.setInterval(() => this.publishNow(), this.#intervalMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) this.#clock.clearInterval(this.#timer);
    this.#timer = undefined;
  }

  publishNow(): void {
    const s = this.#stats();
    const p = this.#prefix;
    this.#publish(`${p}uptime`, String(Math.floor((this.#clock.now() - this.#startedAt) / 1000)));
    this.#publish(`${p}clients/connected`, String(s.clients));
    this.#publish(`${p}clients/sockets`, String(s.sockets));
    this.#publish(`${p}subscriptions/count`, String(s.subscriptions));
    this.#publish(`${p}retained/count`, String(s.retained));
    this.#publish(`${p}messages/received`, String(s.messagesIn));
    this.#publish(`${p}messages/sent`, String(s.messagesOut));
    this.#publish(`${p}messages/dropped`, String(s.dropped));
    this.#publish(`${p}bytes/received`, String(s.bytesIn));
    this.#publish(`${p}bytes/sent`, String(s.bytesOut));
    this.#publish(`${p}packets/received`, String(s.packetsIn));
    this.#publish(`${p}packets/sent`, String(s.packetsOut));
  }
}
