import { Counter, silentLogger, type Clock, type Logger, type Registry } from '@watershed/common';
import type { AuthenticateInput, AuthenticateResult, ClientInfo } from '../types.js';
import { Acl, type AclAction, type AclDecision, type AclRule } from './acl.js';
import { BanList, type Ban } from './ban-list.js';
import { FlapDetector } from './flapping.js';
import { parsePasswordHash, verifyPassword, type ParsedHash } from './password.js';

export interface ListenerPolicy {
  readonly allowAnonymous: boolean;
  /** Tried in order: "password" checks the user table, "certificate" takes the verified CN. */
  readonly sources: readonly ('password' | 'certificate')[];
  readonly aclDefault: AclDecision;
}

export interface AccessControlOptions {
  clock: Clock;
  logger?: Logger;
  metrics?: Registry;
  nodeName?: string;
  users?: readonly { username: string; passwordHash: string; roles?: readonly string[] }[];
  acl?: readonly AclRule[];
  /** Policy per listener name; `defaultPolicy` for unnamed or unknown listeners. */
  listeners?: ReadonlyMap<string, ListenerPolicy>;
  defaultPolicy?: ListenerPolicy;
  bans?: readonly Ban[];
  /** CONNECTs from one client id within `windowMs` that earn a ban of `banMs`. */
  flapping?: { maxConnects: number; windowMs: number; banMs: number };
}

export interface AccessControlStats {
  authFailures: number;
  publishDenied: number;
  subscribeDenied: number;
  bans: number;
}

interface User {
  readonly hash: ParsedHash;
  readonly roles: readonly string[];
}

/** Answers "who is this?" for unknown users too, so their timing matches a wrong password. */
const DECOY = parsePasswordHash(
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
) as ParsedHash;

const OPEN: ListenerPolicy = { allowAnonymous: true, sources: ['password'], aclDefault: 'allow' };

/**
 * The broker's gatekeeper, plugged into its `authenticate`/`authorizePublish`/
 * `authorizeSubscribe` hooks: flapping detection → ban list → per-listener authentication
 * (password users with scrypt hashes, mutual-TLS certificate CN, anonymous) → ordered ACL
 * with a per-listener default. Refusals and denials are counted in Prometheus metrics.
 */
export class AccessControl {
  readonly bans: BanList;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #users = new Map<string, User>();
  readonly #acl: Acl;
  readonly #listeners: ReadonlyMap<string, ListenerPolicy>;
  readonly #default: ListenerPolicy;
  readonly #flapping: (FlapDetector & { banMs: number }) | undefined;
  readonly #stats: AccessControlStats = { authFailures: 0, publishDenied: 0, subscribeDenied: 0, bans: 0 };
  readonly #authFailures: Counter | undefined;
  readonly #denied: Counter | undefined;
  readonly #node: string;

  constructor(opts: AccessControlOptions) {
    this.#clock = opts.clock;
    this.#logger = opts.logger ?? silentLogger();
    this.#node = opts.nodeName ?? 'watershed';
    for (const u of opts.users ?? []) {
      const hash = parsePasswordHash(u.passwordHash);
      if (typeof hash === 'string') throw new TypeError(`user ${u.username}: ${hash}`);
      this.#users.set(u.username, { hash, roles: u.roles ?? [] });
    }
    this.#acl = new Acl(opts.acl ?? []);
    this.#listeners = opts.listeners ?? new Map();
    this.#default = opts.defaultPolicy ?? OPEN;
    this.bans = new BanList(opts.clock, opts.bans);
    if (opts.flapping) {
      const { maxConnects, windowMs, banMs } = opts.flapping;
      this.#flapping = Object.assign(new FlapDetector(maxConnects, windowMs), { banMs });
    }
    if (opts.metrics) {
      this.#authFailures = new Counter({
        name: 'watershed_mqtt_auth_failures_total',
        help: 'CONNECTs refused by authentication, by reason',
        labelNames: ['node', 'reason'],
        registers: [opts.metrics],
      });
      this.#denied = new Counter({
        name: 'watershed_mqtt_acl_denied_total',
        help: 'PUBLISH and SUBSCRIBE requests the ACL denied',
        labelNames: ['node', 'action'],
        registers: [opts.metrics],
      });
    }
  }

  /** The `authenticate` hook. */
  readonly authenticate = async (c: AuthenticateInput): Promise<AuthenticateResult> => {
    const now = this.#clock.now();
    if (this.#flapping?.record(c.clientId, now)) {
      this.bans.add({ clientId: c.clientId, until: now + this.#flapping.banMs, reason: 'flapping' });
      this.#logger.warn(
        { clientId: c.clientId, banMs: this.#flapping.banMs },
        'MQTT client flapping: banned',
      );
    }
    // Bans are checked before any hashing, so a banned client costs no scrypt work.
    const banned = this.#banned(c, c.username);
    if (banned) return banned;
    const policy = this.#policy(c.listener);
    let username = c.username;
    let verified = false;
    for (const source of policy.sources) {
      if (source === 'certificate' && c.certificateCN !== undefined) {
        username = c.certificateCN;
        verified = true;
        break;
      }
      if (source === 'password' && c.username !== undefined) {
        if (!(await this.#checkPassword(c.username, c.password))) return this.#fail('bad_credentials', c);
        verified = true;
        break;
      }
    }
    if (username !== c.username) {
      const bannedIdentity = this.#banned(c, username);
      if (bannedIdentity) return bannedIdentity;
    }
    if (!verified && !policy.allowAnonymous) return this.#fail('not_authorized', c);
    return username === undefined ? { ok: true } : { ok: true, username };
  };

  /** The `authorizePublish` hook (also applied to will topics). */
  readonly authorizePublish = (client: ClientInfo, topic: string): boolean =>
    this.#authorize(client, 'publish', topic);

  /** The `authorizeSubscribe` hook. */
  readonly authorizeSubscribe = (client: ClientInfo, filter: string): boolean =>
    this.#authorize(client, 'subscribe', filter);

  stats(): AccessControlStats {
    return { ...this.#stats, bans: this.bans.list().length };
  }

  #banned(c: AuthenticateInput, username: string | undefined): AuthenticateResult | undefined {
    const ban = this.bans.find({ clientId: c.clientId, username, remoteAddress: c.remoteAddress });
    return ban ? this.#fail('banned', c, ban.reason) : undefined;
  }

  #authorize(client: ClientInfo, action: AclAction, topic: string): boolean {
    const roles = client.username !== undefined ? (this.#users.get(client.username)?.roles ?? []) : [];
    const decision =
      this.#acl.check({ ...client, roles }, action, topic) ?? this.#policy(client.listener).aclDefault;
    if (decision === 'allow') return true;
    if (action === 'publish') this.#stats.publishDenied++;
    else this.#stats.subscribeDenied++;
    this.#denied?.inc({ node: this.#node, action });
    return false;
  }

  async #checkPassword(username: string, password: Buffer | undefined): Promise<boolean> {
    const user = this.#users.get(username);
    // An unknown user costs a hash too, so response time does not reveal who exists.
    const ok = await verifyPassword(password ?? Buffer.alloc(0), user?.hash ?? DECOY);
    return ok && user !== undefined && password !== undefined;
  }

  #fail(
    reason: 'bad_credentials' | 'not_authorized' | 'banned',
    c: AuthenticateInput,
    detail?: string,
  ): AuthenticateResult {
    this.#stats.authFailures++;
    this.#authFailures?.inc({ node: this.#node, reason });
    this.#logger.info(
      { clientId: c.clientId, username: c.username, remoteAddress: c.remoteAddress, reason, detail },
      'MQTT login refused',
    );
    return { ok: false, reason };
  }

  #policy(listener: string | undefined): ListenerPolicy {
    return (listener !== undefined ? this.#listeners.get(listener) : undefined) ?? this.#default;
  }
}
