import type { Clock } from '@watershed/common';
import type { Connection } from '../connection.js';
import type { BrokerPersistence } from '../persistence/types.js';
import type { Session } from '../session.js';
import type { SessionStore } from '../session-store.js';
import { BanRegistry, type BanSubject } from './ban-registry.js';
import type { BanEntry } from './types.js';

/** What the CONNECT handler asks of the operator's side (see handlers/connect.ts). */
export interface ConnectGate {
  /** The operator ban that refuses this client, if any. */
  banned(s: BanSubject): BanEntry | undefined;
  /** A CONNECT was accepted: remember what only the CONNECT packet knew. */
  admitted(conn: Connection, keepalive: number, cleanStart: boolean): void;
}

/** What only the CONNECT packet and its moment knew, kept for the client details view. */
export interface ConnectMeta {
  readonly connectedAt: number;
  readonly keepalive: number;
  readonly cleanStart: boolean;
}

export interface ListenerMeta {
  readonly type: 'tcp' | 'tls' | 'ws' | 'wss';
  readonly name: string | undefined;
  readonly host: string;
  readonly port: number;
}

/**
 * The broker's side of the operator's interface, owned by the broker: the operator ban list
 * checked at CONNECT, what each accepted CONNECT said, the listeners, and read access to
 * connections and sessions for `BrokerAdmin`. It only reads broker state; changes (kicks,
 * retained deletes) go through the connections' and stores' own operations.
 */
export class AdminHub implements ConnectGate {
  readonly bans: BanRegistry;
  readonly clock: Clock;
  readonly persistence: BrokerPersistence | undefined;
  readonly #sockets: ReadonlySet<Connection>;
  readonly #sessions: SessionStore;
  // One small object per connection, dropped with it; not on the packet path.
  readonly #meta = new WeakMap<Connection, ConnectMeta>();
  readonly #listeners = new Set<ListenerMeta>();

  constructor(
    clock: Clock,
    sockets: ReadonlySet<Connection>,
    sessions: SessionStore,
    persistence: BrokerPersistence | undefined,
  ) {
    this.clock = clock;
    this.bans = new BanRegistry(clock);
    this.#sockets = sockets;
    this.#sessions = sessions;
    this.persistence = persistence;
  }

  banned(s: BanSubject): BanEntry | undefined {
    return this.bans.find(s);
  }

  admitted(conn: Connection, keepalive: number, cleanStart: boolean): void {
    this.#meta.set(conn, { connectedAt: this.clock.now(), keepalive, cleanStart });
  }

  meta(conn: Connection): ConnectMeta | undefined {
    return this.#meta.get(conn);
  }

  /** Records a started listener; returns the token `listenerClosed` takes. */
  listenerOpened(meta: ListenerMeta): ListenerMeta {
    this.#listeners.add(meta);
    return meta;
  }

  listenerClosed(meta: ListenerMeta): void {
    this.#listeners.delete(meta);
  }

  listeners(): ListenerMeta[] {
    return [...this.#listeners];
  }

  /** Connections past CONNECT. */
  *connections(): Generator<Connection> {
    for (const c of this.#sockets) if (c.connected) yield c;
  }

  /** The connection holding `clientId` now (a scan: operator calls, not the packet path). */
  connection(clientId: string): Connection | undefined {
    for (const c of this.#sockets) if (c.connected && c.clientId === clientId) return c;
    return undefined;
  }

  /** Every session, including persistent ones whose client is away. */
  sessions(): IterableIterator<Session> {
    return this.#sessions.values();
  }

  session(clientId: string): Session | undefined {
    return this.#sessions.get(clientId);
  }
}
