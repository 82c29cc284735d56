import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Json } from '@watershed/store';

/**
 * The contract between the console's authentication (`auth/`) and every resource plugin.
 *
 * Roles are ordered: each one may do everything the ones before it may.
 * - viewer: read everything of its project;
 * - operator: also acknowledge/shelve alarms and write live tag values (setpoints, commands);
 * - engineer: also change configuration: edge configs, rules, sinks, alarm rules, broker ACL;
 * - admin: also users, API keys and projects.
 * A principal belongs to one project (`org/project`); `*` is the installation-wide admin.
 */
export const ROLES = ['viewer', 'operator', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export interface Principal {
  kind: 'user' | 'apiKey';
  /** User id or API key id. */
  id: string;
  /** Login name or key name: what the audit log shows as "who". */
  name: string;
  role: Role;
  /** The project the principal acts in; `*` sees every project. */
  project: string;
  /** The console session the request came with (users logged in through the browser). */
  sessionId?: string;
  /** Set until a user replaces an initial or reset password; most routes refuse until then. */
  mustChangePassword?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every /api/v1 request that got past it. */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Reachable without a principal (login). */
    public?: boolean;
    /** Reachable while the principal must still change its password (me, password, logout). */
    allowDuringPasswordChange?: boolean;
    /** Set by the authentication hook from the route's RoleGuard. */
    minRole?: Role;
  }
}

export type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * What `access.require(role)` returns: a guard that names the role it demands, so the route
 * table can be introspected (the authorisation matrix test finds every mutating route's role)
 * and the authentication hook can check the role before the body is even validated.
 */
export type RoleGuard = Guard & { readonly role: Role };

/** Route `config` keys the authentication hook reads. */
export interface AuthRouteConfig {
  /** Reachable without a principal (login). */
  public?: boolean;
  /** Reachable while the principal must still change its password (me, password, logout). */
  allowDuringPasswordChange?: boolean;
}

/**
 * What a resource plugin receives to protect its routes. Every /api/v1 route except the login
 * ones is authenticated before any handler runs (401 WS_ERR_UNAUTHENTICATED); a route adds
 * `preHandler: access.require('engineer')` to demand a role (403 WS_ERR_FORBIDDEN).
 */
export interface Access {
  require(role: Role): RoleGuard;
  /** The request's principal; throws 401 if the route was reached without one. */
  principal(req: FastifyRequest): Principal;
  /**
   * The project a request acts on: the principal's own, or for `*` principals the `project`
   * query parameter / body field when given. Lists and reads filter by it; a record of another
   * project is answered 404, never 403, so its existence does not leak.
   */
  project(req: FastifyRequest): string | undefined;
  /** True when `recordProject` is visible to the request's principal. */
  canSee(req: FastifyRequest, recordProject: string): boolean;
}

export interface AuditEntryInput {
  /** Verb: `create`, `update`, `delete`, `enable`, `push`, `write`, `ack`, `login`, … */
  action: string;
  /** Resource type: `rule`, `user`, `edge-config`, `tag`, `alarm`, `broker-client`, … */
  resource: string;
  resourceId: string;
  before?: Json;
  after?: Json;
  /** Project the change belongs to; the principal's when omitted. */
  project?: string;
}

/** Every mutating handler records what it changed, after the change succeeded. */
export interface Auditor {
  /** Who (principal), when (store clock) and from where (client address) come from `req`. */
  record(req: FastifyRequest, entry: AuditEntryInput): Promise<void>;
}
