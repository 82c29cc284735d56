import type { Logger } from '@watershed/common';
import { EventEmitter } from 'node:events';
import type { BrokerEventName, BrokerEvents } from './types.js';

/**
 * The broker's typed events (client_connected, message_dropped, …). A listener that throws is
 * logged and does not break the packet path that emitted the event; emitting an event nobody
 * listens to costs one count lookup.
 */
export class BrokerEventBus {
  readonly #events = new EventEmitter();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
    this.#events.setMaxListeners(0);
  }

  /** Adds a listener; returns the function that removes it. */
  on<E extends BrokerEventName>(event: E, listener: BrokerEvents[E]): () => void {
    const wrapped = (...args: unknown[]): void => {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (err) {
        this.#logger.error({ err, event }, 'broker event listener threw');
      }
    };
    this.#events.on(event, wrapped);
    return () => {
      this.#events.off(event, wrapped);
    };
  }

  emit<E extends keyof BrokerEvents>(event: E, ...args: Parameters<BrokerEvents[E]>): void {
    if (this.#events.listenerCount(event) > 0) this.#events.emit(event, ...args);
  }
}
