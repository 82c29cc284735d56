import { topicMatches } from './topic/validate.js';
import type { BrokerMessage } from './types.js';

/**
 * Retained messages, one per topic (MQTT 5.0 §3.3.1.3). A PUBLISH with RETAIN and an empty
 * payload removes the topic's message [MQTT-3.3.1-6]. `PersistentRetainedStore`
 * (`persistence/`) implements the same contract and records every change in the broker's
 * BrokerPersistence.
 */
export interface RetainedStore {
  set(message: BrokerMessage): void;
  delete(topic: string): void;
  has(topic: string): boolean;
  /** Retained messages whose topic matches `filter`, wildcard and `$` rules applied. */
  match(filter: string): Iterable<BrokerMessage>;
  readonly size: number;
}

export class MemoryRetainedStore implements RetainedStore {
  readonly #messages = new Map<string, BrokerMessage>();

  set(message: BrokerMessage): void {
    this.#messages.set(message.topic, message);
  }

  delete(topic: string): void {
    this.#messages.delete(topic);
  }

  has(topic: string): boolean {
    return this.#messages.has(topic);
  }

  *match(filter: string): Iterable<BrokerMessage> {
    const wildcard = filter.includes('+') || filter.includes('#');
    if (!wildcard) {
      const m = this.#messages.get(filter);
      if (m) yield m;
      return;
    }
    for (const m of this.#messages.values()) if (topicMatches(filter, m.topic)) yield m;
  }

  get size(): number {
    return this.#messages.size;
  }
}
