import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Clock } from '@watershed/common';
import type { MetadataStore, User } from '@watershed/store';
import { cookie, recordAudit } from '../authenticate.js';
import { setSessionCookie } from '../session-cookie.js';
import { identityOf } from './claims.js';
import { OidcErrors } from './errors.js';
import { OidcClient } from './oidc-client.js';
import { PendingLogins } from './pending-logins.js';
import type { OidcSettings } from './settings.js';

export interface OidcRoutesOptions {
  metadata: MetadataStore;
  clock: Clock;
  /** Undefined: single sign-on is off, and /auth/oidc says so. */
  settings: OidcSettings | undefined;
  sessionTtlMs?: number;
}

/** The password hash of a user the provider manages: no password ever verifies against it. */
export const OIDC_USER = 'oidc';
const BINDING_COOKIE = 'ws_oidc';
const CALLBACK_PATH = '/api/v1/auth/oidc';

const StartQuery = Type.Object({
  returnTo: Type.Optional(
    Type.String({ maxLength: 2048, description: 'a path of this console to open after login' }),
  ),
});
const CallbackQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 512 })),
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 2048 })),
});

/** Only a path of this site: an absolute URL here would make the login an open redirect. */
function safePath(p: string | undefined): string {
  return p !== undefined && p.startsWith('/') && !p.startsWith('//') && !p.includes('\\') ? p : '/';
}

/**
 * /api/v1/auth/oidc: single sign-on through the utility's identity provider. `GET /auth/oidc`
 * tells the login page whether to offer it; `/login` sends the browser to the provider with a
 * fresh state, nonce and PKCE verifier; `/callback` redeems the code, maps the provider's claims
 * to a console user (created on first login, its role kept in step with the provider's claims
 * at every login) and opens a session as a password login does. A failure lands back on the
 * login page with the reason (`/?loginError=`), never on a bare error document.
 */
export const oidcRoutes: FastifyPluginAsync<OidcRoutesOptions> = (app, opts) => {
  const { metadata, clock, settings } = opts;
  const ttlMs = opts.sessionTtlMs ?? 12 * 3_600_000;
  const client = settings ? new OidcClient(settings) : undefined;
  const pending = new PendingLogins();
  const tags = ['auth'];

  app.get(
    '/auth/oidc',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Whether single sign-on is offered, and the login button’s label',
        response: { 200: Type.Object({ enabled: Type.Boolean(), label: Type.Optional(Type.String()) }) },
      },
    },
    () => Promise.resolve(settings ? { enabled: true, label: settings.label } : { enabled: false }),
  );

  app.get<{ Querystring: Static<typeof StartQuery> }>(
    '/auth/oidc/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Start single sign-on: redirects to the identity provider',
        querystring: StartQuery,
      },
    },
    async (req, reply) => {
      if (!settings || !client) throw OidcErrors.DISABLED.create();
      const { state, login } = pending.start(safePath(req.query.returnTo), clock.now());
      let url: string;
      try {
        url = await client.authorizationUrl({ state, nonce: login.nonce, verifier: login.verifier });
      } catch (err) {
        return backToLogin(reply, (err as Error).message);
      }
      // Lax, not Strict: the provider's redirect back is a cross-site top-level navigation, and
      // the callback must see this cookie to know the login started in this browser.
      void reply.header(
        'set-cookie',
        `${BINDING_COOKIE}=${login.binding}; Path=${CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=600${req.protocol === 'https' ? '; Secure' : ''}`,
      );
      return reply.redirect(url, 302);
    },
  );

  app.get<{ Querystring: Static<typeof CallbackQuery> }>(
    '/auth/oidc/callback',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The identity provider’s redirect back: opens a console session and goes to the console',
        querystring: CallbackQuery,
      },
    },
    async (req, reply) => {
      if (!settings || !client) throw OidcErrors.DISABLED.create();
      const q = req.query;
      const login = q.state !== undefined ? pending.take(q.state, clock.now()) : undefined;
      if (q.error !== undefined)
        return backToLogin(
          reply,
          OidcErrors.PROVIDER.create(['login', q.error_description ?? q.error]).message,
        );
      if (!login)
        return backToLogin(reply, OidcErrors.STATE.create(['no pending login for this state']).message);
      if (cookie(req.headers.cookie, BINDING_COOKIE) !== login.binding)
        return backToLogin(reply, OidcErrors.STATE.create(['it was started in another browser']).message);
      if (q.code === undefined)
        return backToLogin(reply, OidcErrors.PROVIDER.create(['login', 'no code']).message);
      try {
        const claims = await client.redeem(q.code, login.verifier, login.nonce);
        const identity = identityOf(claims, settings);
        if (!identity.ok) {
          await recordAudit(
            metadata,
            req,
            { name: String(claims['sub']) },
            {
              action: 'login-refused',
              resource: 'session',
              resourceId: String(claims['sub']),
              after: { method: 'oidc', reason: identity.reason },
            },
          );
          throw OidcErrors.REFUSED.create([identity.reason]);
        }
        const user = await provision(req, identity.name, identity.role);
        const { session, token } = await metadata.sessions.create({ userId: user.id, ttlMs, from: req.ip });
        setSessionCookie(req, reply, token, ttlMs);
        await recordAudit(metadata, req, user, {
          action: 'login',
          resource: 'session',
          resourceId: session.id,
          after: { method: 'oidc', issuer: settings.issuer },
        });
        return reply.redirect(login.returnTo, 302);
      } catch (err) {
        return backToLogin(reply, (err as Error).message);
      }
    },
  );

  /**
   * The console user for a provider identity: created on first sight, role and project kept
   * as the provider and config say. A local user of the same name (one with a password) is not
   * taken over: that would let whoever controls the provider become the local admin.
   */
  async function provision(req: FastifyRequest, name: string, role: string): Promise<User> {
    const project = settings!.project;
    const existing = await metadata.users.byName(name);
    if (!existing) {
      const created = await metadata.users.create({ project, name, role, passwordHash: OIDC_USER });
      await recordAudit(
        metadata,
        req,
        { name },
        {
          action: 'create',
          resource: 'user',
          resourceId: created.id,
          project,
          after: { name, role, project, method: 'oidc' },
        },
      );
      return created;
    }
    if (existing.passwordHash !== OIDC_USER)
      throw OidcErrors.REFUSED.create([
        `a local user named ${name} exists; an administrator must rename one of them`,
      ]);
    if (existing.disabled) throw OidcErrors.REFUSED.create([`user ${name} is disabled in this console`]);
    if (existing.role === role && existing.project === project) return existing;
    const updated = await metadata.users.update(existing.id, { role, project }, existing.revision);
    await recordAudit(
      metadata,
      req,
      { name },
      {
        action: 'update',
        resource: 'user',
        resourceId: existing.id,
        project,
        before: { role: existing.role, project: existing.project },
        after: { role, project, method: 'oidc' },
      },
    );
    return updated;
  }

  return Promise.resolve();
};

function backToLogin(reply: FastifyReply, reason: string): FastifyReply {
  return reply.redirect(`/?loginError=${encodeURIComponent(reason)}`, 302);
}
