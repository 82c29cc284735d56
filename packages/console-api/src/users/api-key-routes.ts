import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { ApiKey, MetadataStore } from '@watershed/store';
import { roleAtLeast, type Access, type Auditor } from '../auth/access.js';
import { isRole } from '../auth/authenticate.js';
import { errorResponses } from '../schemas.js';
import { UserErrors } from './errors.js';
import { assignProject, checkGrant } from './projects.js';
import { ApiKeyCreate, ApiKeyCreated, ApiKeyView, IdParams, ProjectQuery } from './schemas.js';

export interface ApiKeyRoutesOptions {
  access: Access;
  auditor: Auditor;
  metadata: MetadataStore;
}

/** An API key as listed and audited: the store keeps only a hash of the secret anyway. */
function keyView(k: ApiKey): Static<typeof ApiKeyView> {
  return {
    id: k.id,
    prefix: k.prefix,
    name: k.name,
    role: k.role,
    project: k.project,
    createdBy: k.createdBy,
    createdAt: k.createdAt,
    ...(k.expiresAt !== undefined && { expiresAt: k.expiresAt }),
    ...(k.revokedAt !== undefined && { revokedAt: k.revokedAt }),
  };
}

/**
 * /api/v1/api-keys, engineer and above (scripts and integrations are configuration work): list,
 * create (the full key is in the answer once, never again), revoke. A key's role may not exceed
 * its creator's, and nobody revokes a key above their own role.
 */
export const apiKeyRoutes: FastifyPluginAsyncTypebox<ApiKeyRoutesOptions> = (app, opts) => {
  const { access, auditor, metadata } = opts;
  const engineer = access.require('engineer');
  const tags = ['api-keys'];

  app.get(
    '/api-keys',
    {
      preHandler: engineer,
      schema: {
        tags,
        summary: 'API keys of the project, revoked ones included',
        querystring: ProjectQuery,
        response: { 200: Type.Object({ items: Type.Array(ApiKeyView) }), ...errorResponses },
      },
    },
    async (req) => {
      const project = access.project(req);
      const keys = await metadata.apiKeys.list(project !== undefined ? { project } : {});
      return { items: keys.map(keyView) };
    },
  );

  app.post(
    '/api-keys',
    {
      preHandler: engineer,
      schema: {
        tags,
        summary: 'Create an API key; the answer holds the full key, shown this once',
        body: ApiKeyCreate,
        response: { 200: ApiKeyCreated, ...errorResponses },
      },
    },
    async (req) => {
      const p = access.principal(req);
      const project = assignProject(access, req, req.body.project);
      checkGrant(access, req, req.body.role);
      const { apiKey, key } = await metadata.apiKeys.create({
        project,
        name: req.body.name,
        role: req.body.role,
        createdBy: p.kind === 'user' ? p.name : `apikey:${p.name}`,
        ...(req.body.expiresAt !== undefined && { expiresAt: req.body.expiresAt }),
      });
      await auditor.record(req, {
        action: 'create',
        resource: 'api-key',
        resourceId: apiKey.id,
        project,
        after: keyView(apiKey),
      });
      return { apiKey: keyView(apiKey), key };
    },
  );

  app.delete(
    '/api-keys/:id',
    {
      preHandler: engineer,
      schema: {
        tags,
        summary: 'Revoke an API key',
        params: IdParams,
        response: { 200: ApiKeyView, ...errorResponses },
      },
    },
    async (req) => {
      const p = access.principal(req);
      const project = p.project === '*' ? undefined : p.project;
      const before = (await metadata.apiKeys.list(project !== undefined ? { project } : {})).find(
        (k) => k.id === req.params.id,
      );
      if (!before) throw UserErrors.NOT_FOUND.create(['API key', req.params.id]);
      if (isRole(before.role) && !roleAtLeast(p.role, before.role))
        throw UserErrors.ROLE_TOO_HIGH.create([p.role, before.role]);
      const after = await metadata.apiKeys.revoke(before.id);
      await auditor.record(req, {
        action: 'revoke',
        resource: 'api-key',
        resourceId: after.id,
        project: after.project,
        before: keyView(before),
        after: keyView(after),
      });
      return keyView(after);
    },
  );

  return Promise.resolve();
};
