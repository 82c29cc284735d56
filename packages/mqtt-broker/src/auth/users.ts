import { parsePasswordHash, type ParsedHash } from './password.js';
import { parseScramCredentials, type ScramCredentials } from './scram-credentials.js';

/** A `users[]` entry as configured. */
export interface UserEntry {
  readonly username: string;
  /** scrypt or pbkdf2-sha256 hash, for the "password" source. */
  readonly passwordHash?: string;
  /** SCRAM-SHA-256 stored keys, for MQTT 5 enhanced authentication. */
  readonly scram?: string;
  readonly roles?: readonly string[];
}

export interface User {
  readonly hash: ParsedHash | undefined;
  readonly scram: ScramCredentials | undefined;
  readonly roles: readonly string[];
}

/**
 * The built-in user store. Holds only derived secrets: password hashes and SCRAM stored/server
 * keys, from which the password cannot be recovered. The config file's users are parsed at
 * start; `replace` swaps in a new set at runtime (the console's user edits) in one assignment,
 * so a CONNECT being authenticated sees either the old table or the new one, never a mix.
 */
export class UserTable {
  #users: ReadonlyMap<string, User>;

  /** Throws a TypeError naming the user whose hash or keys are malformed. */
  constructor(entries: readonly UserEntry[] = []) {
    this.#users = parseUsers(entries);
  }

  /** Replaces every user; throws (and keeps the current set) when an entry is malformed. */
  replace(entries: readonly UserEntry[]): void {
    this.#users = parseUsers(entries);
  }

  get size(): number {
    return this.#users.size;
  }

  get(username: string): User | undefined {
    return this.#users.get(username);
  }

  /** The SCRAM iteration count most users have (RFC 7677's 4096 when none has keys). */
  typicalScramIterations(): number {
    const counts = new Map<number, number>();
    for (const u of this.#users.values())
      if (u.scram) counts.set(u.scram.iterations, (counts.get(u.scram.iterations) ?? 0) + 1);
    let best = 4096;
    let most = 0;
    for (const [iterations, n] of counts) if (n > most) [best, most] = [iterations, n];
    return best;
  }

  roles(username: string | undefined): readonly string[] {
    return username === undefined ? [] : (this.#users.get(username)?.roles ?? []);
  }
}

function parseUsers(entries: readonly UserEntry[]): Map<string, User> {
  const users = new Map<string, User>();
  for (const u of entries) {
    const hash = u.passwordHash === undefined ? undefined : parsePasswordHash(u.passwordHash);
    if (typeof hash === 'string') throw new TypeError(`user ${u.username}: ${hash}`);
    const scram = u.scram === undefined ? undefined : parseScramCredentials(u.scram);
    if (typeof scram === 'string') throw new TypeError(`user ${u.username}: ${scram}`);
    users.set(u.username, { hash, scram, roles: u.roles ?? [] });
  }
  return users;
}
