import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Clock } from '@watershed/common';
import type { MetadataStore } from '@watershed/store';
import { ErrorBody } from '../schemas.js';
import type { Access } from './access.js';
import { recordAudit } from './authenticate.js';
import { AuthErrors } from './errors.js';
import { checkPasswordPolicy, hashPassword, verifyPassword, type ScryptCost } from './password.js';
import { setSessionCookie } from './session-cookie.js';
import { LoginThrottle } from './throttle.js';

export interface AuthRoutesOptions {
  metadata: MetadataStore;
  access: Access;
  clock: Clock;
  /** How long a console session lives; default 12 h (a control-room shift). */
  sessionTtlMs?: number;
  /** scrypt cost for new password hashes; the default unless a test needs speed. */
  passwordCost?: ScryptCost;
  throttle?: LoginThrottle;
}

const SessionUser = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  project: Type.String(),
});
const LoginAnswer = Type.Object({ user: SessionUser, mustChangePassword: Type.Boolean() });
const MeAnswer = Type.Object({
  kind: Type.Union([Type.Literal('user'), Type.Literal('apiKey')]),
  user: SessionUser,
  mustChangePassword: Type.Boolean(),
});
const LoginBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 128 }), password: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false },
);
const PasswordBody = Type.Object(
  { current: Type.String({ maxLength: 1024 }), new: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false },
);

// Verified against when the name is unknown, so a login takes as long whether the user exists
// or not (no user enumeration by timing).
let dummyHash: Promise<string> | undefined;

/**
 * /api/v1/auth: login (public), logout, me and password change. The last three stay reachable
 * while the user must change the password; everything else answers 403
 * WS_ERR_AUTH_PASSWORD_CHANGE_REQUIRED until then (see installAuthentication).
 */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = (app, opts) => {
  const { metadata, access, clock } = opts;
  const ttlMs = opts.sessionTtlMs ?? 12 * 3_600_000;
  const throttle = opts.throttle ?? new LoginThrottle({ clock });
  const hash = (pw: string): Promise<string> => hashPassword(pw, opts.passwordCost);

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in with name and password; sets the ws_session cookie',
        body: LoginBody,
        response: { 200: LoginAnswer, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      const { name, password } = req.body;
      const from = req.ip;
      const lockedMs = throttle.lockedFor(name, from);
      if (lockedMs > 0) throw AuthErrors.LOCKED.create([name, Math.ceil(lockedMs / 60_000)]);
      const user = await metadata.users.byName(name);
      const ok = user
        ? (await verifyPassword(password, user.passwordHash)) && !user.disabled
        : await verifyPassword(password, await (dummyHash ??= hash('not a password at all')));
      if (!user || !ok) {
        const locked = throttle.fail(name, from);
        await recordAudit(
          metadata,
          req,
          { name, ...(user && { project: user.project }) },
          {
            action: locked ? 'login-locked' : 'login-failed',
            resource: 'session',
            resourceId: name,
          },
        );
        if (locked)
          throw AuthErrors.LOCKED.create([name, Math.ceil(throttle.lockedFor(name, from) / 60_000)]);
        throw AuthErrors.BAD_CREDENTIALS.create();
      }
      throttle.succeed(name, from);
      const { session, token } = await metadata.sessions.create({ userId: user.id, ttlMs, from });
      setSessionCookie(req, reply, token, ttlMs);
      await recordAudit(metadata, req, user, {
        action: 'login',
        resource: 'session',
        resourceId: session.id,
      });
      return {
        user: { id: user.id, name: user.name, role: user.role, project: user.project },
        mustChangePassword: user.mustChangePassword,
      };
    },
  );

  app.post(
    '/auth/logout',
    {
      preHandler: access.require('viewer'),
      config: { allowDuringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'End the console session and clear its cookie',
        response: { 200: Type.Object({ loggedOut: Type.Boolean() }) },
      },
    },
    async (req, reply) => {
      const p = access.principal(req);
      if (p.sessionId) {
        await metadata.sessions.revoke(p.sessionId);
        await recordAudit(metadata, req, p, {
          action: 'logout',
          resource: 'session',
          resourceId: p.sessionId,
        });
      }
      setSessionCookie(req, reply, '', 0);
      // An API key has no session to end: nothing happened, and the answer says so.
      return { loggedOut: p.sessionId !== undefined };
    },
  );

  app.get(
    '/auth/me',
    {
      config: { allowDuringPasswordChange: true },
      schema: { tags: ['auth'], summary: 'Who the request is authenticated as', response: { 200: MeAnswer } },
    },
    (req) => {
      const p = access.principal(req);
      return Promise.resolve({
        kind: p.kind,
        user: { id: p.id, name: p.name, role: p.role, project: p.project },
        mustChangePassword: p.mustChangePassword === true,
      });
    },
  );

  app.post<{ Body: Static<typeof PasswordBody> }>(
    '/auth/password',
    {
      preHandler: access.require('viewer'),
      config: { allowDuringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: "Change one's own password; ends the user's other sessions",
        body: PasswordBody,
        response: { 200: LoginAnswer, 400: ErrorBody, 429: ErrorBody },
      },
    },
    async (req) => {
      const p = access.principal(req);
      if (p.kind !== 'user') throw AuthErrors.NOT_A_USER.create(['POST /auth/password']);
      const lockedMs = throttle.lockedFor(p.name, req.ip);
      if (lockedMs > 0) throw AuthErrors.LOCKED.create([p.name, Math.ceil(lockedMs / 60_000)]);
      const user = await metadata.users.get(p.id);
      if (!user) throw AuthErrors.UNAUTHENTICATED.create(['the user no longer exists']);
      if (!(await verifyPassword(req.body.current, user.passwordHash))) {
        throttle.fail(p.name, req.ip);
        throw AuthErrors.WRONG_PASSWORD.create();
      }
      checkPasswordPolicy(req.body.new, user.name);
      if (req.body.new === req.body.current) {
        throw AuthErrors.WEAK_PASSWORD.create(['it must differ from the current one']);
      }
      const updated = await metadata.users.update(
        user.id,
        { passwordHash: await hash(req.body.new), mustChangePassword: false },
        user.revision,
      );
      // Whoever else held a session (a stolen cookie, a forgotten browser) is logged out.
      for (const s of await metadata.sessions.list(user.id)) {
        if (s.id !== p.sessionId && s.revokedAt === undefined) {
          await metadata.sessions.revoke(s.id);
        }
      }
      await recordAudit(metadata, req, p, {
        action: 'password-change',
        resource: 'user',
        resourceId: user.id,
        project: user.project,
        before: { mustChangePassword: user.mustChangePassword },
        after: { mustChangePassword: false },
      });
      return {
        user: { id: updated.id, name: updated.name, role: updated.role, project: updated.project },
        mustChangePassword: false,
      };
    },
  );
  return Promise.resolve();
};
