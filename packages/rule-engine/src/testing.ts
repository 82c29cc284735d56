import { topicMatches } from '@watershed/rule-sql';
import type { MessageSource, OutboundMessage, SourceEvent, SourceMessage } from './source.js';

/**
 * An in-memory {@link MessageSource} for tests of the engine and of its users: `inject` delivers
 * a message to matching subscriptions synchronously (as the broker does), `emitEvent` fires
 * `$events/…`, and everything rules publish is recorded in `published` — and, like a real bus,
 * delivered back to matching subscriptions.
 */
export class FakeMessageSource implements MessageSource {
  readonly published: OutboundMessage[] = [];
  readonly #subs = new Set<{ filter: string; fn: (m: SourceMessage) => void }>();
  readonly #events = new Set<(e: SourceEvent) => void>();
  #now: () => number;

  constructor(now: () => number = () => Date.now()) {
    this.#now = now;
  }

  /** Filters currently subscribed, one entry per subscription. */
  get filters(): string[] {
    return [...this.#subs].map((s) => s.filter);
  }

  subscribe(filter: string, fn: (m: SourceMessage) => void): () => void {
    const sub = { filter, fn };
    this.#subs.add(sub);
    return () => this.#subs.delete(sub);
  }

  onEvent(listener: (e: SourceEvent) => void): () => void {
    this.#events.add(listener);
    return () => this.#events.delete(listener);
  }

  publish(m: OutboundMessage): void {
    this.published.push(m);
    this.inject({ topic: m.topic, payload: m.payload, qos: m.qos, retain: m.retain });
  }

  /** Delivers a message; a payload object is sent as JSON text. */
  inject(m: Partial<Omit<SourceMessage, 'payload'>> & { topic: string; payload?: unknown }): void {
    const payload =
      typeof m.payload === 'string' || m.payload instanceof Uint8Array
        ? m.payload
        : JSON.stringify(m.payload ?? null);
    const msg: SourceMessage = { qos: 0, retain: false, receivedAt: this.#now(), ...m, payload };
    for (const s of [...this.#subs]) if (topicMatches(s.filter, m.topic)) s.fn(msg);
  }

  emitEvent(name: string, fields: Record<string, unknown>): void {
    for (const l of [...this.#events]) l({ name, fields, timestamp: this.#now() });
  }
}
