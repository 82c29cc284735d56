import type { Logger } from '@watershed/common';
import { MeterErrors } from './errors.js';
import type { MeterIngest } from './meter-ingest.js';

/**
 * The slice of the broker the meter feed needs: its durable in-process subscription, whose
 * handler's promise the broker waits for before acknowledging the vendor's QoS 1/2 PUBLISH.
 */
export interface MeterMessageSource {
  subscribeDurable(
    filter: string,
    store: (m: { topic: string; payload: Buffer }) => Promise<void>,
  ): () => void;
}

/**
 * Vendors that publish to the platform broker: one durable in-process subscription per vendor
 * topic filter, each message one reading. A message that is not JSON, or a reading refused, is
 * counted and dropped (acknowledged: sending it again would be refused again). `close()`
 * unsubscribes and waits for the writes in flight, so a server shutting down stores what it
 * took before the store closes.
 *
 * The receiver owns a QoS 1/2 message once it acknowledges it (MQTT 5 §4.3.2/§4.3.3), so the
 * broker sends PUBACK/PUBREC only when `handle` resolved, i.e. the reading is committed. A store
 * failure (counted and logged by the ingest) rejects: the meter or vendor gateway gets PUBACK
 * 0x80 (MQTT 5) or no ack and a reconnect (3.1.1), and sends the reading again.
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
      this.#unsubscribe.push(opts.source.subscribeDurable(v.topic, (m) => this.#track(this.handle(v.id, m))));
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

  /** Counts a write in flight for `close`; returns it unchanged for the broker to wait on. */
  #track(p: Promise<void>): Promise<void> {
    // The ingest has counted and logged a store failure already; the broker withholds the ack.
    const tracked = p.catch(() => undefined).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
    return p;
  }
}
