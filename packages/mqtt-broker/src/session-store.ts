import type { Session } from './session.js';

/**
 * Where sessions live between connections. The broker looks sessions up by client id when a
 * client connects and drops them when they end (clean start, expiry). This is the in-memory
 * index the packet path reads; durability is a separate concern: persistent sessions record
 * their changes in a BrokerPersistence (`persistence/types.ts`) and are rebuilt from it at start.
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
