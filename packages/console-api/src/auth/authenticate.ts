import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { MetadataStore } from '@watershed/store';
import {
  ROLES,
  roleAtLeast,
  type Access,
  type AuditEntryInput,
  type Auditor,
  type AuthRouteConfig,
  type Principal,
  type Role,
  type RoleGuard,
} from './access.js';
import { AuthErrors } from './errors.js';

/** The browser's session cookie; the token inside is the store's `wss_<id>_<secret>`. */
export const SESSION_COOKIE = 'ws_session';

export interface AuthenticateOptions {
  metadata: MetadataStore;
  /**
   * Paths under the plugin's prefix reachable without a principal. Routes can instead say so
   * themselves with `config: { public: true }`.
   */
  publicPaths?: readonly string[];
}

/** One route of the authenticated scope, as the authorisation matrix test sees it. */
export interface ApiRoute {
  method: string;
  /** Full URL pattern, e.g. `/api/v1/users/:id`. */
  url: string;
  /** The role its RoleGuard demands; undefined when it has none. */
  minRole?: Role;
  public: boolean;
}

export interface Authentication {
  access: Access;
  auditor: Auditor;
  /** Every route registered in the scope so far (and later): the live route table. */
  routes: readonly ApiRoute[];
}

type RouteConfig = AuthRouteConfig & { minRole?: Role };

/**
 * Installs the authentication hook on the plugin it is registered in (the /api/v1 scope) and
 * returns the Access and Auditor the resource plugins use. Credentials, in order:
 * `Authorization: Bearer wsk_…` (an API key), `Authorization: Bearer wss_…` or the
 * `ws_session` cookie (a console session). Anything else is 401 before a handler runs.
 *
 * It must be installed before the resource plugins register their routes: its onRoute hook
 * reads each route's RoleGuard, so the role is checked in onRequest, before the body is parsed
 * and validated (a viewer gets 403, not a 400 that describes the schema).
 */
export function installAuthentication(api: FastifyInstance, opts: AuthenticateOptions): Authentication {
  const publicPaths = new Set((opts.publicPaths ?? []).map((p) => `${api.prefix}${p}`));
  const { metadata } = opts;
  const routes: ApiRoute[] = [];

  api.addHook('onRoute', (route: RouteOptions) => {
    const minRole = guardRole(route);
    const config = (route.config ?? {}) as RouteConfig;
    const isPublic = config.public === true || publicPaths.has(route.url);
    route.config = { ...config, ...(minRole && { minRole }), public: isPublic };
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue; // fastify's automatic twin of a GET route
      routes.push({ method, url: route.url, public: isPublic, ...(minRole && { minRole }) });
    }
  });

  api.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config as RouteConfig;
    if (config.public) return;
    const principal = await resolvePrincipal(req, metadata);
    const path = req.url.split('?')[0] ?? '';
    if (!principal) throw AuthErrors.UNAUTHENTICATED.create([`${req.method} ${path} needs a principal`]);
    req.principal = principal;
    if (principal.mustChangePassword && !config.allowDuringPasswordChange) {
      throw AuthErrors.PASSWORD_CHANGE_REQUIRED.create([
        `${principal.name} logged in with a one-time password`,
      ]);
    }
    if (config.minRole && !roleAtLeast(principal.role, config.minRole)) {
      throw AuthErrors.FORBIDDEN.create([principal.role, config.minRole]);
    }
  });

  const access: Access = {
    require(need: Role): RoleGuard {
      const guard = (req: FastifyRequest): Promise<void> => {
        const p = access.principal(req);
        if (!roleAtLeast(p.role, need)) return Promise.reject(AuthErrors.FORBIDDEN.create([p.role, need]));
        return Promise.resolve();
      };
      return Object.assign(guard, { role: need });
    },
    principal(req) {
      if (!req.principal) throw AuthErrors.UNAUTHENTICATED.create([`${req.method} ${req.url}`]);
      return req.principal;
    },
    project(req) {
      const p = access.principal(req);
      if (p.project !== '*') return p.project;
      const q = req.query as { project?: unknown } | undefined;
      if (typeof q?.project === 'string' && q.project) return q.project;
      const b = req.body as { project?: unknown } | undefined;
      if (b && typeof b === 'object' && typeof b.project === 'string' && b.project) return b.project;
      return undefined;
    },
    canSee(req, recordProject) {
      const p = access.principal(req);
      return p.project === '*' || p.project === recordProject;
    },
  };

  const auditor: Auditor = {
    record: (req, entry) => recordAudit(metadata, req, access.principal(req), entry),
  };
  return { access, auditor, routes };
}

/**
 * Appends an audit entry for `who`: the request's principal, or for the login routes (which
 * have none yet) the name that tried to log in.
 */
export async function recordAudit(
  metadata: MetadataStore,
  req: FastifyRequest,
  who: Principal | { name: string; project?: string },
  entry: AuditEntryInput,
): Promise<void> {
  const actor = 'kind' in who && who.kind === 'apiKey' ? `apikey:${who.name}` : who.name;
  const project = entry.project ?? (who.project === '*' ? undefined : who.project);
  await metadata.audit.append({
    actor,
    action: `${entry.resource}.${entry.action}`,
    resource: `${entry.resource}:${entry.resourceId}`,
    ...(project !== undefined && { project }),
    ...(entry.before !== undefined && { before: entry.before }),
    ...(entry.after !== undefined && { after: entry.after }),
    from: req.ip,
  });
}

/** The role of the first RoleGuard among a route's request hooks. */
function guardRole(route: RouteOptions): Role | undefined {
  for (const hooks of [route.onRequest, route.preValidation, route.preHandler]) {
    for (const h of [hooks ?? []].flat()) {
      const role = (h as Partial<RoleGuard>).role;
      if (typeof role === 'string' && isRole(role)) return role;
    }
  }
  return undefined;
}

async function resolvePrincipal(
  req: FastifyRequest,
  metadata: MetadataStore,
): Promise<Principal | undefined> {
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (bearer?.startsWith('wsk_')) {
    const key = await metadata.apiKeys.verify(bearer);
    if (!key || !isRole(key.role)) return undefined;
    return { kind: 'apiKey', id: key.id, name: key.prefix, role: key.role, project: key.project };
  }
  const token = bearer ?? cookie(req.headers.cookie, SESSION_COOKIE);
  if (!token?.startsWith('wss_')) return undefined;
  const session = await metadata.sessions.verify(token);
  if (!session) return undefined;
  const user = await metadata.users.get(session.userId);
  if (!user || user.disabled || !isRole(user.role)) return undefined;
  return {
    kind: 'user',
    id: user.id,
    name: user.name,
    role: user.role,
    project: user.project,
    sessionId: session.id,
    ...(user.mustChangePassword && { mustChangePassword: true }),
  };
}

export function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}

/** The value of one cookie from a Cookie header (RFC 6265 §4.2.1: `name=value; name=value`). */
export function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined; // malformed %-escape: no usable credential
    }
  }
  return undefined;
}
