import { silentLogger, type Logger, type TimerHandle } from '@watershed/common';
import type { Ban } from '../auth/ban-list.js';
import { MqttBroker } from '../broker.js';
import { BrokerErrors } from '../errors.js';
import { SqlitePersistence } from '../persistence/sqlite-persistence.js';
import { topicFilterError } from '../topic/validate.js';
import type { Broker } from '../types.js';
import { BanRegistry } from './ban-registry.js';
import { MemoryBanStore, SqliteBanStore, type BanStore } from './ban-store.js';
import { AdminErrors } from './errors.js';
import { RateHistory } from './history.js';
import type { AdminHub } from './hub.js';
import type {
  BanEntry,
  ClientDetails,
  ClientQuery,
  ClientSummary,
  ListenerEntry,
  NewBan,
  Page,
  RateSample,
  RetainedEntry,
  RetainedQuery,
  StatsSnapshot,
  SubscriptionEntry,
  SubscriptionQuery,
} from './types.js';
import {
  clientDetails,
  clientOrder,
  clientSummary,
  page,
  retainedEntry,
  subscriptionEntry,
} from './views.js';

/** MQTT 5 DISCONNECT reason code 0x98 Administrative action (§3.14.2.1). */
const ADMINISTRATIVE_ACTION = 0x98;
/** MQTT 5 DISCONNECT reason code 0x87 Not authorized (§3.14.2.1). */
const NOT_AUTHORIZED = 0x87;

export interface BrokerAdminOptions {
  logger?: Logger;
  /**
   * Where operator bans are kept; BrokerAdmin owns it and closes it. Default: table
   * `admin_bans` in the broker's SQLite state file when the broker has one, else memory.
   */
  banStore?: BanStore;
  /** Read-only bans enforced elsewhere (AccessControl's config and flapping bans), listed beside the operator's. */
  otherBans?: { list(): readonly Ban[] };
  /** Seconds of per-second rate history kept for charts. Default 900 (15 minutes). */
  historySeconds?: number;
}

export interface KickOptions {
  /** End the client's session too (subscriptions, queued messages), as if its Session Expiry Interval were 0. */
  discardSession?: boolean;
  /** Reason string sent with the MQTT 5 DISCONNECT. Default "administrative action". */
  reason?: string;
}

/**
 * The broker's operator interface: what the console's broker pages show and do. Listings are
 * snapshots sorted for stable paging; changes act through the broker's own paths (a kick is a
 * server-side DISCONNECT, deleting a retained message is the store's delete, a ban is checked
 * by the CONNECT handler). Owns a one-second sampling timer and the ban store; `close` releases both.
 *
 * Operator calls scan the broker's connections or sessions: fine at tens of thousands of
 * clients for a human's click, not meant for a polling loop per client.
 */
export class BrokerAdmin {
  readonly #hub: AdminHub;
  readonly #broker: MqttBroker;
  readonly #logger: Logger;
  readonly #store: BanStore;
  readonly #otherBans: { list(): readonly Ban[] } | undefined;
  readonly #history: RateHistory;
  readonly #timer: TimerHandle;
  #closed = false;

  /** Throws WS_ERR_MQTT_ADMIN_UNSUPPORTED_BROKER for a broker not made by this package. */
  constructor(broker: Broker, opts: BrokerAdminOptions = {}) {
    if (!(broker instanceof MqttBroker)) throw AdminErrors.UNSUPPORTED_BROKER.create();
    this.#broker = broker;
    this.#hub = broker.admin;
    this.#logger = opts.logger ?? silentLogger();
    this.#otherBans = opts.otherBans;
    this.#store = opts.banStore ?? defaultBanStore(this.#hub);
    this.#history = new RateHistory(opts.historySeconds ?? 900);
    this.#restoreBans();
    const clock = this.#hub.clock;
    this.#history.record(clock.now(), broker.stats());
    this.#timer = clock.setInterval(() => this.#history.record(clock.now(), broker.stats()), 1000);
    this.#timer.unref?.();
  }

  // ── clients ─────────────────────────────────────────────────────────────────────────────

  /**
   * Connected clients matching `q` (substring of id, username or peer) and `listener`, by
   * client id or by a traffic counter (`sort`, `order`).
   */
  clients(query: ClientQuery = {}): Page<ClientSummary> {
    const q = query.q?.trim().toLowerCase();
    const all: ClientSummary[] = [];
    for (const conn of this.#hub.connections()) {
      const c = clientSummary(conn, this.#hub.meta(conn));
      if (query.listener !== undefined && c.listener !== query.listener) continue;
      if (q && ![c.clientId, c.username, c.peer].some((f) => f?.toLowerCase().includes(q))) continue;
      all.push(c);
    }
    return page(all.sort(clientOrder(query)), query);
  }

  /** A connected client's details, or undefined when no connection holds `clientId`. */
  client(clientId: string): ClientDetails | undefined {
    const conn = this.#hub.connection(clientId);
    return conn && clientDetails(conn, this.#hub.meta(conn));
  }

  /**
   * Disconnects a client: MQTT 5 gets DISCONNECT 0x98 Administrative action first (§3.14.2.1,
   * [MQTT-4.13.2-1]); 3.1.1 has no server DISCONNECT and is closed. Not a DISCONNECT from the
   * client, so its will is published [MQTT-3.1.2-8]. Returns what the client was; throws
   * WS_ERR_MQTT_ADMIN_CLIENT_NOT_FOUND when it is not connected.
   */
  kick(clientId: string, opts: KickOptions = {}): ClientSummary {
    const conn = this.#hub.connection(clientId);
    if (conn === undefined) throw AdminErrors.CLIENT_NOT_FOUND.create([clientId]);
    const was = clientSummary(conn, this.#hub.meta(conn));
    // An expiry of 0 ends the session with the connection (MQTT 5 §3.1.2.11.2), which is
    // what the registry does on close: subscriptions, queue and the stored copy go.
    if (opts.discardSession && conn.session) conn.session.expiryInterval = 0;
    conn.close('administrative_action', {
      reasonCode: ADMINISTRATIVE_ACTION,
      detail: opts.reason ?? 'administrative action',
    });
    this.#logger.info({ clientId, discardSession: opts.discardSession ?? false }, 'MQTT client kicked');
    return was;
  }

  /**
   * Disconnects every client logged in as `username`, because its credentials just ended
   * (revoked, rotated, deleted): MQTT 5 gets DISCONNECT 0x87 Not authorized with `reason` as
   * the reason string (§3.14.2.1, §3.14.2.2.3), 3.1.1 is closed. Its will is published, as for
   * any server-side close [MQTT-3.1.2-8]. A reconnect is judged by the credentials as they now
   * are. Returns the client ids it disconnected (none is not an error: the client was away).
   */
  disconnectUser(username: string, reason: string): string[] {
    const covered = [...this.#hub.connections()].filter((c) => c.username === username);
    for (const conn of covered) conn.close('not_authorized', { reasonCode: NOT_AUTHORIZED, detail: reason });
    if (covered.length > 0)
      this.#logger.info(
        { username, clients: covered.map((c) => c.clientId), reason },
        'MQTT user disconnected',
      );
    return covered.map((c) => c.clientId);
  }

  // ── subscriptions and retained messages ────────────────────────────────────────────────

  /** Subscriptions of every session (persistent ones of absent clients too), by client id and filter. */
  subscriptions(query: SubscriptionQuery = {}): Page<SubscriptionEntry> {
    const f = query.filter?.trim().toLowerCase();
    const all: SubscriptionEntry[] = [];
    for (const session of this.#hub.sessions()) {
      if (query.clientId !== undefined && session.clientId !== query.clientId) continue;
      for (const sub of session.subscriptions.values()) {
        if (f && !sub.raw.toLowerCase().includes(f)) continue;
        all.push(subscriptionEntry(session, sub));
      }
    }
    all.sort((a, b) => byClientId(a, b) || compare(a.filter, b.filter));
    return page(all, query);
  }

  /** Retained messages matching a topic filter (default `#`), by topic; throws WS_ERR_MQTT_INVALID_FILTER. */
  retained(query: RetainedQuery = {}): Page<RetainedEntry> {
    const filter = query.topic?.trim() || '#';
    const err = topicFilterError(filter, Number.POSITIVE_INFINITY);
    if (err) throw BrokerErrors.INVALID_FILTER.create([filter, err]);
    const all = [...this.#broker.retained.match(filter)].sort((a, b) => compare(a.topic, b.topic));
    const p = page(all, query);
    return { ...p, items: p.items.map(retainedEntry) };
  }

  /** Deletes one retained message, as an empty retained PUBLISH would [MQTT-3.3.1-6]; throws when there is none. */
  deleteRetained(topic: string): RetainedEntry {
    const store = this.#broker.retained;
    const [m] = store.has(topic) ? [...store.match(topic)] : [];
    if (m === undefined || m.topic !== topic) throw AdminErrors.RETAINED_NOT_FOUND.create([topic]);
    store.delete(topic);
    this.#logger.info({ topic }, 'retained MQTT message deleted');
    return retainedEntry(m);
  }

  // ── listeners and statistics ───────────────────────────────────────────────────────────

  listeners(): ListenerEntry[] {
    const counts = new Map<string | undefined, number>();
    for (const conn of this.#hub.connections()) {
      const name = conn.origin.listener;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return this.#hub
      .listeners()
      .map((l) => ({ ...l, connections: counts.get(l.name) ?? 0 }))
      .sort((a, b) => a.port - b.port);
  }

  /** Counters now, and the per-second history after `sinceTs` (default: all of it). */
  stats(sinceTs?: number): { current: StatsSnapshot; history: RateSample[] } {
    const s = this.#broker.stats();
    return {
      current: { ...s, bans: this.bans().length, rate: this.#history.latest() },
      history: this.#history.samples(sinceTs),
    };
  }

  // ── bans ────────────────────────────────────────────────────────────────────────────────

  /** Bans in force: the operator's, then the read-only ones from config and flapping detection. */
  bans(): BanEntry[] {
    const now = this.#hub.clock.now();
    const others = (this.#otherBans?.list() ?? [])
      .filter((b) => b.until === undefined || now < b.until)
      .map((b, i): BanEntry => {
        const source = b.reason === 'flapping' ? 'flapping' : 'config';
        return {
          id: `${source}-${i}`,
          source,
          ...(b.clientId !== undefined && { clientId: b.clientId }),
          ...(b.username !== undefined && { username: b.username }),
          ...(b.ip !== undefined && { peer: b.ip }),
          reason: b.reason ?? source,
          createdBy: source,
          createdAt: undefined,
          ...(b.until !== undefined && { until: b.until }),
        };
      });
    return [...this.#hub.bans.list(), ...others];
  }

  /**
   * Adds an operator ban: stored first (a ban the operator was told about survives a restart),
   * then enforced at every CONNECT, and connections it covers now are closed (MQTT 5:
   * DISCONNECT 0x98; 0x8A Banned is a CONNACK code only). Throws WS_ERR_MQTT_ADMIN_BAN_INVALID.
   */
  ban(input: NewBan): { ban: BanEntry; kicked: string[] } {
    const ban = this.#hub.bans.create(input);
    this.#store.saved(ban);
    this.#hub.bans.add(ban);
    const kicked = this.#kickCovered(ban);
    this.#logger.info({ ban, kicked: kicked.length }, 'MQTT ban added');
    return { ban, kicked };
  }

  /** Lifts an operator ban; throws WS_ERR_MQTT_ADMIN_BAN_NOT_FOUND (config bans are not the operator's). */
  unban(id: string): BanEntry {
    const ban = this.#hub.bans.get(id);
    if (ban === undefined) throw AdminErrors.BAN_NOT_FOUND.create([id]);
    this.#store.deleted(id);
    this.#hub.bans.remove(id);
    this.#logger.info({ ban }, 'MQTT ban lifted');
    return ban;
  }

  /** Stops sampling and closes the ban store; the bans stay enforced for the broker's life. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#hub.clock.clearInterval(this.#timer);
    this.#store.close();
  }

  /** Loads stored bans; expired ones are deleted, and connections made before the load are checked. */
  #restoreBans(): void {
    const now = this.#hub.clock.now();
    for (const ban of this.#store.load()) {
      if (ban.until !== undefined && ban.until <= now) {
        this.#store.deleted(ban.id);
        continue;
      }
      this.#hub.bans.add(ban);
      this.#kickCovered(ban);
    }
  }

  #kickCovered(ban: BanEntry): string[] {
    const covered = [...this.#hub.connections()].filter((c) =>
      BanRegistry.covers(ban, { clientId: c.clientId, username: c.username, remoteAddress: c.remoteAddress }),
    );
    for (const conn of covered)
      conn.close('banned', { reasonCode: ADMINISTRATIVE_ACTION, detail: `banned: ${ban.reason}` });
    return covered.map((c) => c.clientId);
  }
}

function defaultBanStore(hub: AdminHub): BanStore {
  const p = hub.persistence;
  return p instanceof SqlitePersistence && p.location !== ':memory:'
    ? new SqliteBanStore(p.location)
    : new MemoryBanStore();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byClientId(a: { clientId: string }, b: { clientId: string }): number {
  return compare(a.clientId, b.clientId);
}
