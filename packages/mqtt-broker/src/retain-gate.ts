import type { Logger } from '@watershed/common';
import type { RetainedStore } from './retained-store.js';
import type { BrokerMessage } from './types.js';

/**
 * Keeps retained messages within the broker's memory bound. At the cap, existing topics may
 * still be updated but no new ones added; the message is routed as usual, only not kept. The
 * refusals are counted and logged on the first and every thousandth, not per message.
 */
export class RetainGate {
  readonly #store: RetainedStore;
  readonly #limit: number;
  readonly #logger: Logger;
  #refused = 0;

  constructor(store: RetainedStore, limit: number, logger: Logger) {
    this.#store = store;
    this.#limit = limit;
    this.#logger = logger;
  }

  retain(message: BrokerMessage): void {
    // [MQTT-3.3.1-6/7] a retained PUBLISH with an empty payload removes the topic's message.
    if (message.payload.length === 0) {
      this.#store.delete(message.topic);
      return;
    }
    if (this.#store.size >= this.#limit && !this.#store.has(message.topic)) {
      this.#refused++;
      if (this.#refused === 1 || this.#refused % 1000 === 0) {
        this.#logger.warn(
          { topic: message.topic, limit: this.#limit, refused: this.#refused },
          'retained message limit reached',
        );
      }
      return;
    }
    this.#store.set(message.retain ? message : { ...message, retain: true });
  }
}
