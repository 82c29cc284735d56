import type { Clock } from '@watershed/common';
import { randomUUID } from 'node:crypto';
import { compileIpMatcher, unmapIpv4, type IpMatcher } from '../auth/ip-match.js';
import { AdminErrors } from './errors.js';
import type { BanEntry, NewBan } from './types.js';

/** Who is knocking: what a ban can match at CONNECT or against a live connection. */
export interface BanSubject {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly remoteAddress: string | undefined;
}

interface Compiled {
  readonly ban: BanEntry;
  readonly peer: IpMatcher | undefined;
}

/**
 * The operator's ban list: bans with an id, a reason, an author and an optional expiry, each
 * matching when every field it names matches (client id, username, peer address or CIDR).
 * The broker asks it at every CONNECT (refused with 0x8A Banned, MQTT 3.1.1: 5 not authorised),
 * so it is kept in memory and scanned; operators keep tens of bans, not thousands. Expired bans
 * are dropped as they are met (the owner's store forgets them at the next load).
 */
export class BanRegistry {
  readonly #clock: Clock;
  readonly #bans = new Map<string, Compiled>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Checks and normalises a new ban; throws WS_ERR_MQTT_ADMIN_BAN_INVALID naming the problem. */
  create(input: NewBan): BanEntry {
    const clientId = nonEmpty(input.clientId);
    const username = nonEmpty(input.username);
    const peer = nonEmpty(input.peer);
    if (clientId === undefined && username === undefined && peer === undefined)
      throw AdminErrors.BAN_INVALID.create(['name at least one of clientId, username, peer']);
    if (peer !== undefined) {
      const m = compileIpMatcher(peer);
      if (typeof m === 'string') throw AdminErrors.BAN_INVALID.create([`peer "${peer}": ${m}`]);
    }
    const now = this.#clock.now();
    if (input.until !== undefined && !(input.until > now))
      throw AdminErrors.BAN_INVALID.create(['until must lie in the future']);
    return {
      id: randomUUID(),
      source: 'operator',
      ...(clientId !== undefined && { clientId }),
      ...(username !== undefined && { username }),
      ...(peer !== undefined && { peer }),
      reason: input.reason?.trim() || 'banned by an operator',
      createdBy: input.createdBy ?? 'operator',
      createdAt: now,
      ...(input.until !== undefined && { until: input.until }),
    };
  }

  /** Adds (or replaces, by id) a ban made by `create` or loaded from storage. */
  add(ban: BanEntry): void {
    const peer = ban.peer === undefined ? undefined : compileIpMatcher(ban.peer);
    // Stored bans were checked when made; a bad one (edited by hand) matches nobody by peer.
    this.#bans.set(ban.id, { ban, peer: typeof peer === 'string' ? () => false : peer });
  }

  remove(id: string): BanEntry | undefined {
    const c = this.#bans.get(id);
    this.#bans.delete(id);
    return c?.ban;
  }

  /** The ban in force for `s` now, if any. */
  find(s: BanSubject): BanEntry | undefined {
    if (this.#bans.size === 0) return undefined;
    const now = this.#clock.now();
    for (const c of this.#bans.values()) {
      if (this.#expired(c.ban, now)) continue;
      if (matches(c, s)) return c.ban;
    }
    return undefined;
  }

  /** Whether `ban` applies to `s` (for kicking live connections a new ban covers). */
  static covers(ban: BanEntry, s: BanSubject): boolean {
    const peer = ban.peer === undefined ? undefined : compileIpMatcher(ban.peer);
    return matches({ ban, peer: typeof peer === 'string' ? () => false : peer }, s);
  }

  /** Bans in force now, oldest first. */
  list(): BanEntry[] {
    const now = this.#clock.now();
    return [...this.#bans.values()].map((c) => c.ban).filter((b) => !this.#expired(b, now));
  }

  get(id: string): BanEntry | undefined {
    const c = this.#bans.get(id);
    return c && !this.#expired(c.ban, this.#clock.now()) ? c.ban : undefined;
  }

  #expired(ban: BanEntry, now: number): boolean {
    if (ban.until === undefined || now < ban.until) return false;
    this.#bans.delete(ban.id);
    return true;
  }
}

function matches(c: Compiled, s: BanSubject): boolean {
  const b = c.ban;
  return (
    (b.clientId === undefined || b.clientId === s.clientId) &&
    (b.username === undefined || b.username === s.username) &&
    (c.peer === undefined || c.peer(s.remoteAddress))
  );
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

/** A peer address as operators write it (IPv4 without the dual-stack `::ffff:` prefix). */
export function peerOf(remoteAddress: string | undefined): string | undefined {
  return remoteAddress === undefined ? undefined : unmapIpv4(remoteAddress);
}
