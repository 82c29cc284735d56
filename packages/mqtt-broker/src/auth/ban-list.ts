import type { Clock } from '@watershed/common';
import { compileIpMatcher, type IpMatcher } from './ip-match.js';

/** One ban: every field given must match; `until` (clock ms) absent means permanent. */
export interface Ban {
  readonly clientId?: string;
  readonly username?: string;
  /** An address or CIDR block. */
  readonly ip?: string;
  readonly until?: number;
  /** Why, for logs and the console: 'config', 'flapping', 'operator' … */
  readonly reason?: string;
}

interface Entry {
  readonly ban: Ban;
  readonly ip: IpMatcher | undefined;
}

export interface BanSubject {
  readonly clientId: string;
  readonly username?: string | undefined;
  readonly remoteAddress?: string | undefined;
}

/**
 * The ban list: client ids, usernames and addresses refused at CONNECT (MQTT 5: 0x8A Banned).
 * Expiry is read from the injected clock, so tests move time instead of waiting; expired bans
 * are removed as they are met. Bans by client id (the flapping detector's) are indexed, the
 * few configured ones are scanned.
 */
export class BanList {
  readonly #clock: Clock;
  readonly #byClientId = new Map<string, Entry>();
  readonly #others: Entry[] = [];

  constructor(clock: Clock, bans: readonly Ban[] = []) {
    this.#clock = clock;
    for (const b of bans) this.add(b);
  }

  /** Adds a ban; throws on a malformed `ip` (config is checked before it gets here). */
  add(ban: Ban): void {
    let ip: IpMatcher | undefined;
    if (ban.ip !== undefined) {
      const m = compileIpMatcher(ban.ip);
      if (typeof m === 'string') throw new TypeError(`ban ip "${ban.ip}": ${m}`);
      ip = m;
    }
    const entry = { ban, ip };
    if (ban.clientId !== undefined && ban.username === undefined && ban.ip === undefined)
      this.#byClientId.set(ban.clientId, entry);
    else this.#others.push(entry);
  }

  /** The ban that applies to `s` now, if any. */
  find(s: BanSubject): Ban | undefined {
    const now = this.#clock.now();
    const indexed = this.#byClientId.get(s.clientId);
    if (indexed) {
      if (live(indexed.ban, now)) return indexed.ban;
      this.#byClientId.delete(s.clientId);
    }
    for (let i = 0; i < this.#others.length; i++) {
      const e = this.#others[i]!;
      if (!live(e.ban, now)) {
        this.#others.splice(i--, 1);
        continue;
      }
      if (matches(e, s)) return e.ban;
    }
    return undefined;
  }

  /** Bans in force now. */
  list(): Ban[] {
    const now = this.#clock.now();
    return [...this.#byClientId.values(), ...this.#others].map((e) => e.ban).filter((b) => live(b, now));
  }

  get size(): number {
    return this.#byClientId.size + this.#others.length;
  }
}

function live(ban: Ban, now: number): boolean {
  return ban.until === undefined || now < ban.until;
}

function matches(e: Entry, s: BanSubject): boolean {
  const b = e.ban;
  return (
    (b.clientId === undefined || b.clientId === s.clientId) &&
    (b.username === undefined || b.username === s.username) &&
    (e.ip === undefined || e.ip(s.remoteAddress))
  );
}
