import type { Logger } from '@watershed/common';
import { MeterErrors } from './errors.js';
import type { MeterIngest } from './meter-ingest.js';

/** The slice of the broker the meter feed needs (the broker's in-process subscription). */
export interface MeterMessageSource {
  subscribe(filter: string, onMessage: (m: { topic: string; payload: Buffer }) => void): () => void;
}

/**
 * Vendors that publish to the platform broker: one in-process subscription per vendor topic
 * filter, each message one reading. A message that is not JSON is counted and dropped; a
 * store failure is logged and counted by the ingest. `close()` unsubscribes and waits for the
 * writes in flight, so a server shutting down stores what it took before the store closes.
 *
 * The broker acknowledges a QoS 1 PUBLISH when it has routed it (MQTT 5 §4.3.2: the receiver
 * owns the message once it sends PUBACK), before this ingest stored it; see the report for the
 * broker hook that would hold the PUBACK until `handle` resolves.
 */
export class MeterMqttSource {
  readonly #ingest: MeterIngest;
  readonly #logger: Logger;
  readonly #unsubscribe: (() => void)[] = [];
  readonly #pending = new Set<Promise<void>>();

  constructor(opts: {
    source: MeterMessageSource;
    ingest: MeterIngest;
    vendors: readonly { id: string; topic: string }[];
    logger: Logger;
  }) {
    this.#ingest = opts.ingest;
    this.#logger = opts.logger;
    for (const v of opts.vendors)
      this.#unsubscribe.push(opts.source.subscribe(v.topic, (m) => this.#track(this.handle(v.id, m))));
  }

  /** Stores one message's reading; resolves when stored or refused, rejects when the store failed. */
  async handle(vendor: string, m: { topic: string; payload: Buffer }): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(m.payload.toString('utf8'));
    } catch (err) {
      const e = this.#ingest.refuse(vendor, MeterErrors.NOT_JSON.create([(err as Error).message]));
      this.#logger.warn({ vendor, topic: m.topic, code: e.code }, 'vendor meter message dropped');
      return;
    }
    await this.#ingest.ingest(vendor, [body]);
  }

  /** Messages taken and not yet stored. */
  get inflight(): number {
    return this.#pending.size;
  }

  async close(): Promise<void> {
    for (const u of this.#unsubscribe.splice(0)) u();
    await Promise.all(this.#pending);
  }

  #track(p: Promise<void>): void {
    // The ingest has counted and logged a store failure already; nothing more to do here.
    const tracked = p.catch(() => undefined).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }
}
