import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { MetadataStore, User } from '@watershed/store';
import type { Access, Auditor, Role } from '../auth/access.js';
import { checkPasswordPolicy, hashPassword, randomPassword, type ScryptCost } from '../auth/password.js';
import { userView } from '../auth/user-view.js';
import { errorResponses } from '../schemas.js';
import { UserErrors } from './errors.js';
import { assignProject, checkGrant } from './projects.js';
import { createSerial } from './serial.js';
import {
  IdParams,
  PasswordReset,
  ProjectQuery,
  UserCreate,
  UserPatch,
  UserView,
  UserWithPassword,
} from './schemas.js';
import { Type } from 'typebox';

export interface UserRoutesOptions {
  access: Access;
  auditor: Auditor;
  metadata: MetadataStore;
  passwordCost?: ScryptCost;
}

/**
 * /api/v1/users, admin only: list, create (with a one-time password the user must change at
 * first login), change role/project/disabled, reset the password. An admin of a project manages
 * that project's users; an installation admin (`*`) all of them. The last enabled
 * installation-wide admin can be neither demoted, moved nor disabled: someone must be left who
 * can manage the installation.
 */
export const userRoutes: FastifyPluginAsyncTypebox<UserRoutesOptions> = (app, opts) => {
  const { access, auditor, metadata } = opts;
  const admin = access.require('admin');
  const tags = ['users'];
  // Every change that could remove an installation admin checks and writes in one section.
  const adminChanges = createSerial();

  /** The user `id` if the request may see it; another project's user is 404, not 403. */
  async function visibleUser(req: FastifyRequest, id: string): Promise<User> {
    const user = await metadata.users.get(id);
    if (!user || !access.canSee(req, user.project)) throw UserErrors.NOT_FOUND.create(['user', id]);
    return user;
  }

  async function setPassword(req: FastifyRequest, name: string, given: string | undefined) {
    const password = given ?? randomPassword();
    checkPasswordPolicy(password, name);
    return {
      hash: await hashPassword(password, opts.passwordCost),
      generated: given === undefined ? password : undefined,
    };
  }

  app.get(
    '/users',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Users of the project',
        querystring: ProjectQuery,
        response: { 200: Type.Object({ items: Type.Array(UserView) }), ...errorResponses },
      },
    },
    async (req) => {
      const project = access.project(req);
      const users = await metadata.users.list(project !== undefined ? { project } : {});
      return { items: users.map(userView) };
    },
  );

  app.get(
    '/users/:id',
    {
      preHandler: admin,
      schema: { tags, summary: 'One user', params: IdParams, response: { 200: UserView, ...errorResponses } },
    },
    async (req) => userView(await visibleUser(req, req.params.id)),
  );

  app.post(
    '/users',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Create a user with a one-time password (generated and shown once when omitted)',
        body: UserCreate,
        response: { 200: UserWithPassword, ...errorResponses },
      },
    },
    async (req) => {
      const { name, role } = req.body;
      const project = assignProject(access, req, req.body.project);
      checkGrant(access, req, role);
      const { hash, generated } = await setPassword(req, name, req.body.password);
      const user = await metadata.users.create({
        name,
        role,
        project,
        passwordHash: hash,
        mustChangePassword: true,
      });
      await auditor.record(req, {
        action: 'create',
        resource: 'user',
        resourceId: user.id,
        project,
        after: userView(user),
      });
      return { user: userView(user), ...(generated !== undefined && { initialPassword: generated }) };
    },
  );

  app.patch(
    '/users/:id',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Change role, project or disabled; disabling ends the user’s sessions',
        params: IdParams,
        body: UserPatch,
        response: { 200: UserView, ...errorResponses },
      },
    },
    async (req) => {
      const before = await visibleUser(req, req.params.id);
      const patch: { role?: Role; project?: string; disabled?: boolean } = {};
      if (req.body.role !== undefined) {
        checkGrant(access, req, req.body.role);
        patch.role = req.body.role;
      }
      if (req.body.project !== undefined) patch.project = assignProject(access, req, req.body.project);
      if (req.body.disabled !== undefined) patch.disabled = req.body.disabled;
      const after = await adminChanges.run(async () => {
        await keepAnAdmin(metadata, before, patch);
        return metadata.users.update(before.id, patch, before.revision);
      });
      if (after.disabled && !before.disabled) await metadata.sessions.revokeAll(after.id);
      await auditor.record(req, {
        action: 'update',
        resource: 'user',
        resourceId: after.id,
        project: after.project,
        before: userView(before),
        after: userView(after),
      });
      return userView(after);
    },
  );

  app.post(
    '/users/:id/password',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Reset a password: a new one-time password, the user’s sessions end',
        params: IdParams,
        body: PasswordReset,
        response: { 200: UserWithPassword, ...errorResponses },
      },
    },
    async (req) => {
      const before = await visibleUser(req, req.params.id);
      const { hash, generated } = await setPassword(req, before.name, req.body.password);
      const after = await metadata.users.update(
        before.id,
        { passwordHash: hash, mustChangePassword: true },
        before.revision,
      );
      await metadata.sessions.revokeAll(after.id);
      await auditor.record(req, {
        action: 'reset-password',
        resource: 'user',
        resourceId: after.id,
        project: after.project,
        before: userView(before),
        after: userView(after),
      });
      return { user: userView(after), ...(generated !== undefined && { initialPassword: generated }) };
    },
  );

  return Promise.resolve();
};

/** Refuses a change that would leave no enabled installation-wide admin. */
async function keepAnAdmin(
  metadata: MetadataStore,
  user: User,
  patch: { role?: string; project?: string; disabled?: boolean },
): Promise<void> {
  const isInstallAdmin = (u: { role: string; project: string; disabled: boolean }) =>
    u.role === 'admin' && u.project === '*' && !u.disabled;
  if (!isInstallAdmin(user) || isInstallAdmin({ ...user, ...patch })) return;
  const others = (await metadata.users.list({ project: '*' })).filter(
    (u) => u.id !== user.id && isInstallAdmin(u),
  );
  if (others.length === 0) throw UserErrors.LAST_ADMIN.create([user.name]);
}
