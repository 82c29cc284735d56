import type { Session } from './session.js';

/**
 * Where sessions live between connections. The broker looks sessions up by client id when a
 * client connects and drops them when they end (clean start, expiry). The in-memory store is
 * the default; a durable one (SQLite, NATS KV) implements the same contract and persists the
 * session's subscriptions and queue.
 */
export interface SessionStore {
  get(clientId: string): Session | undefined;
  set(session: Session): void;
  delete(clientId: string): boolean;
  readonly size: number;
  values(): IterableIterator<Session>;
}

export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, Session>();

  get(clientId: string): Session | undefined {
    return this.#sessions.get(clientId);
  }

  set(session: Session): void {
    this.#sessions.set(session.clientId, session);
  }

  delete(clientId: string): boolean {
    return this.#sessions.delete(clientId);
  }

  get size(): number {
    return this.#sessions.size;
  }

  values(): IterableIterator<Session> {
    return this.#sessions.values();
  }
}
