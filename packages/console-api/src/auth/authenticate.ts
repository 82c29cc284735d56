import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MetadataStore } from '@watershed/store';
import { ROLES, roleAtLeast, type Access, type Auditor, type Principal, type Role } from './access.js';
import { AuthErrors } from './errors.js';

/** The browser's session cookie; the token inside is the store's `wss_<id>_<secret>`. */
export const SESSION_COOKIE = 'ws_session';

export interface AuthenticateOptions {
  metadata: MetadataStore;
  /** Paths under the plugin's prefix reachable without a principal (login, first-login change). */
  publicPaths?: readonly string[];
}

/**
 * Installs the authentication hook on the plugin it is registered in (the /api/v1 scope) and
 * returns the Access and Auditor the resource plugins use. Credentials, in order:
 * `Authorization: Bearer wsk_…` (an API key), `Authorization: Bearer wss_…` or the
 * `ws_session` cookie (a console session). Anything else is 401 before a handler runs.
 */
export function installAuthentication(
  api: FastifyInstance,
  opts: AuthenticateOptions,
): { access: Access; auditor: Auditor } {
  const publicPaths = new Set(opts.publicPaths ?? []);
  const { metadata } = opts;

  api.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0] ?? '';
    if (publicPaths.has(path)) return;
    const principal = await resolvePrincipal(req, metadata);
    if (!principal) throw AuthErrors.UNAUTHENTICATED.create([`${req.method} ${path} needs a principal`]);
    req.principal = principal;
  });

  const access: Access = {
    require(need: Role) {
      return (req) => {
        const p = access.principal(req);
        if (!roleAtLeast(p.role, need)) return Promise.reject(AuthErrors.FORBIDDEN.create([p.role, need]));
        return Promise.resolve();
      };
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
    async record(req, entry) {
      const p = access.principal(req);
      await metadata.audit.append({
        actor: p.kind === 'user' ? p.name : `apikey:${p.name}`,
        action: `${entry.resource}.${entry.action}`,
        resource: `${entry.resource}:${entry.resourceId}`,
        project: entry.project ?? (p.project === '*' ? undefined : p.project),
        ...(entry.before !== undefined && { before: entry.before }),
        ...(entry.after !== undefined && { after: entry.after }),
        from: req.ip,
      });
    },
  };
  return { access, auditor };
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
  return { kind: 'user', id: user.id, name: user.name, role: user.role, project: user.project };
}

function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}

/** The value of one cookie from a Cookie header (RFC 6265 §4.2.1: `name=value; name=value`). */
export function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
