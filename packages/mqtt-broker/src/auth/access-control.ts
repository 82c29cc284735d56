import { Counter, silentLogger, type Clock, type Logger, type Registry } from '@watershed/common';
import type { AuthenticateInput, AuthenticateResult, ClientInfo } from '../types.js';
import { Acl, aclRuleError, type AclAction, type AclDecision, type AclRule } from './acl.js';
import { BanList, type Ban } from './ban-list.js';
import { certificateIdentityOf } from './certificate.js';
import { AuthChain, type ChainOutcome } from './chain.js';
import type { EnhancedAuthenticator } from './enhanced.js';
import { FlapDetector } from './flapping.js';
import { ScramAuthenticator } from './scram.js';
import { createAuthSource, type AuthSourceSpec } from './sources.js';
import type { AuthRequest } from './source.js';
import { UserTable, type UserEntry } from './users.js';

export interface ListenerPolicy {
  /** Lets in clients that present no credentials when every source ignores them. */
  readonly allowAnonymous: boolean;
  /** The authentication chain, in order; the first decisive answer wins. */
  readonly sources: readonly AuthSourceSpec[];
  readonly aclDefault: AclDecision;
  /** MQTT 5 enhanced-authentication methods offered on the listener (e.g. "SCRAM-SHA-256"). */
  readonly enhanced?: readonly string[];
}

export interface AccessControlOptions {
  clock: Clock;
  logger?: Logger;
  metrics?: Registry;
  nodeName?: string;
  users?: readonly UserEntry[];
  acl?: readonly AclRule[];
  /** Policy per listener name; `defaultPolicy` for unnamed or unknown listeners. */
  listeners?: ReadonlyMap<string, ListenerPolicy>;
  defaultPolicy?: ListenerPolicy;
  bans?: readonly Ban[];
  /** CONNECTs from one client id within `windowMs` that earn a ban of `banMs`. */
  flapping?: { maxConnects: number; windowMs: number; banMs: number };
  /** Enhanced-authentication methods beyond the built-in SCRAM-SHA-256, by method name. */
  enhancedAuthenticators?: readonly EnhancedAuthenticator[];
}

export interface AccessControlStats {
  authFailures: number;
  publishDenied: number;
  subscribeDenied: number;
  bans: number;
}

interface Listener {
  readonly policy: ListenerPolicy;
  readonly chain: AuthChain;
}

const OPEN: ListenerPolicy = { allowAnonymous: true, sources: ['password'], aclDefault: 'allow' };

/**
 * The broker's gatekeeper, plugged into its `authenticate`/`enhancedAuth`/`authorizePublish`/
 * `authorizeSubscribe` hooks: flapping detection → ban list → the listener's authentication
 * chain (password, JWT, certificate, HTTP, … — see `AuthChain`) or an MQTT 5 enhanced
 * exchange (SCRAM-SHA-256) → ACL: the identity's own grants (superuser, JWT/HTTP `acl`), then
 * the ordered acl[], then the listener default. Outcomes are counted in Prometheus metrics.
 */
export class AccessControl {
  readonly bans: BanList;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #users: UserTable;
  readonly #fileUsers: readonly UserEntry[];
  readonly #acl: Acl;
  /** Rules the operator added at runtime (SecurityEditor); checked before the file's acl[]. */
  readonly #runtimeAcl = new Acl([]);
  readonly #listeners = new Map<string, Listener>();
  readonly #default: Listener;
  readonly #enhanced = new Map<string, EnhancedAuthenticator>();
  readonly #flapping: (FlapDetector & { banMs: number }) | undefined;
  readonly #stats: AccessControlStats = { authFailures: 0, publishDenied: 0, subscribeDenied: 0, bans: 0 };
  readonly #authFailures: Counter | undefined;
  readonly #authn: Counter | undefined;
  readonly #denied: Counter | undefined;
  readonly #node: string;
  /** Compiled identity ACLs, per grant (a grant lives as long as its client's ClientInfo). */
  readonly #grantAcls = new WeakMap<readonly AclRule[], Acl>();

  constructor(opts: AccessControlOptions) {
    this.#clock = opts.clock;
    this.#logger = opts.logger ?? silentLogger();
    this.#node = opts.nodeName ?? 'watershed';
    this.#fileUsers = opts.users ?? [];
    this.#users = new UserTable(this.#fileUsers);
    this.#acl = new Acl(opts.acl ?? []);
    const deps = { clock: this.#clock, logger: this.#logger, users: this.#users };
    const listener = (policy: ListenerPolicy): Listener => ({
      policy,
      chain: new AuthChain(
        policy.sources.map((s) => createAuthSource(s, deps)),
        policy.allowAnonymous,
        this.#logger,
      ),
    });
    for (const [name, policy] of opts.listeners ?? []) this.#listeners.set(name, listener(policy));
    this.#default = listener(opts.defaultPolicy ?? OPEN);
    for (const a of [new ScramAuthenticator(this.#users), ...(opts.enhancedAuthenticators ?? [])])
      this.#enhanced.set(a.method, a);
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
      this.#authn = new Counter({
        name: 'watershed_mqtt_authn_total',
        help: 'Authentication outcomes by deciding source (password, jwt, certificate, http, anonymous, SCRAM-SHA-256, …)',
        labelNames: ['node', 'source', 'result'],
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
    // Bans are checked before any source runs, so a banned client costs no hashing or callout.
    const banned = this.#banned(c, c.username);
    if (banned) return banned;
    const outcome: ChainOutcome = c.enhanced
      ? { result: 'allow', ...c.enhanced, source: c.enhanced.method }
      : await this.#listener(c.listener).chain.authenticate(requestOf(c));
    if (outcome.result === 'deny') return this.#fail(outcome.reason, c, outcome.detail, outcome.source);
    const username = outcome.username ?? c.username;
    if (username !== c.username) {
      const bannedIdentity = this.#banned(c, username);
      if (bannedIdentity) return bannedIdentity;
    }
    this.#authn?.inc({ node: this.#node, source: outcome.source, result: 'success' });
    return {
      ok: true,
      source: outcome.source,
      ...(username !== undefined && { username }),
      ...(outcome.superuser && { superuser: true }),
      ...(outcome.acl && { acl: outcome.acl }),
      ...(outcome.expiresAt !== undefined && { expiresAt: outcome.expiresAt }),
    };
  };

  /**
   * The `enhancedAuth` hook: the authenticator for `method` where the listener offers it. Its
   * failures are counted here; its successes are counted when `authenticate` admits them.
   */
  readonly enhancedAuth = (
    method: string,
    listener: string | undefined,
  ): EnhancedAuthenticator | undefined => {
    if (!(this.#listener(listener).policy.enhanced ?? []).includes(method)) return undefined;
    const inner = this.#enhanced.get(method);
    if (inner === undefined) return undefined;
    return {
      method,
      start: (req) => {
        const exchange = inner.start(req);
        return {
          step: async (data) => {
            const step = await exchange.step(data);
            if (step.kind === 'failure') {
              this.#stats.authFailures++;
              this.#authFailures?.inc({ node: this.#node, reason: step.reason });
              this.#authn?.inc({ node: this.#node, source: method, result: 'failure' });
            } else if (step.kind === 'success' && req.authenticatedAs !== undefined) {
              // A re-authentication does not pass through `authenticate`; count it here.
              this.#authn?.inc({ node: this.#node, source: method, result: 'success' });
            }
            return step;
          },
        };
      },
    };
  };

  /** The `authorizePublish` hook (also applied to will topics). */
  readonly authorizePublish = (client: ClientInfo, topic: string): boolean =>
    this.#authorize(client, 'publish', topic);

  /** The `authorizeSubscribe` hook. */
  readonly authorizeSubscribe = (client: ClientInfo, filter: string): boolean =>
    this.#authorize(client, 'subscribe', filter);

  /**
   * Installs the operator's runtime users and ACL rules (see SecurityEditor) beside the config
   * file's. Users: the file's and these, by username (the caller keeps the two apart). Rules:
   * these first, in order, then the file's acl[] — so an operator's deny takes effect even where
   * the file allows. Both apply from the next CONNECT, PUBLISH or SUBSCRIBE on; throws (keeping
   * what was in force) when an entry is malformed.
   */
  setRuntime(users: readonly UserEntry[], acl: readonly AclRule[]): void {
    // Rules are checked first, so that a bad one changes neither users nor rules.
    for (const rule of acl) {
      const problem = aclRuleError(rule);
      if (problem) throw new TypeError(`ACL rule ${rule.topic}: ${problem}`);
    }
    this.#users.replace([...this.#fileUsers, ...users]);
    this.#runtimeAcl.replace(acl);
  }

  stats(): AccessControlStats {
    return { ...this.#stats, bans: this.bans.list().length };
  }

  /** Releases what the sources hold (JWKS caches, HTTP requests in flight). */
  async close(): Promise<void> {
    await Promise.all([...this.#listeners.values(), this.#default].map((l) => l.chain.close()));
  }

  #banned(c: AuthenticateInput, username: string | undefined): AuthenticateResult | undefined {
    const ban = this.bans.find({ clientId: c.clientId, username, remoteAddress: c.remoteAddress });
    return ban ? this.#fail('banned', c, ban.reason, 'ban') : undefined;
  }

  #authorize(client: ClientInfo, action: AclAction, topic: string): boolean {
    const authz = client.authz;
    if (authz?.superuser) return true;
    const subject = { ...client, roles: this.#users.roles(client.username) };
    let decision = authz?.acl ? this.#grantAcl(authz.acl).check(subject, action, topic) : undefined;
    decision ??=
      this.#runtimeAcl.check(subject, action, topic) ??
      this.#acl.check(subject, action, topic) ??
      this.#listener(client.listener).policy.aclDefault;
    if (decision === 'allow') return true;
    if (action === 'publish') this.#stats.publishDenied++;
    else this.#stats.subscribeDenied++;
    this.#denied?.inc({ node: this.#node, action });
    return false;
  }

  #grantAcl(rules: readonly AclRule[]): Acl {
    let acl = this.#grantAcls.get(rules);
    if (acl === undefined) {
      acl = new Acl(rules);
      this.#grantAcls.set(rules, acl);
    }
    return acl;
  }

  #fail(
    reason: 'bad_credentials' | 'not_authorized' | 'banned',
    c: AuthenticateInput,
    detail: string | undefined,
    source: string,
  ): AuthenticateResult {
    this.#stats.authFailures++;
    this.#authFailures?.inc({ node: this.#node, reason });
    this.#authn?.inc({ node: this.#node, source, result: 'failure' });
    this.#logger.info(
      { clientId: c.clientId, username: c.username, remoteAddress: c.remoteAddress, reason, source, detail },
      'MQTT login refused',
    );
    return { ok: false, reason, source, ...(detail !== undefined && { detail }) };
  }

  #listener(name: string | undefined): Listener {
    return (name !== undefined ? this.#listeners.get(name) : undefined) ?? this.#default;
  }
}

function requestOf(c: AuthenticateInput): AuthRequest {
  return {
    clientId: c.clientId,
    ...(c.username !== undefined && { username: c.username }),
    ...(c.password !== undefined && { password: c.password }),
    ...(c.remoteAddress !== undefined && { remoteAddress: c.remoteAddress }),
    ...(c.listener !== undefined && { listener: c.listener }),
    ...(c.certificateCN !== undefined || c.certificateSAN !== undefined
      ? { certificate: certificateIdentityOf(c.certificateCN, c.certificateSAN) }
      : {}),
  };
}
