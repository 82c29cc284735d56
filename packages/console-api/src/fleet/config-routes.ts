import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { EdgeConfigVersion, Gateway, Json } from '@watershed/store';
import type { Principal } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { diffConfigs } from './config-diff.js';
import { tags, type FleetContext } from './context.js';
import { FleetApiErrors } from './errors.js';
import {
  ConfigDiffView,
  ConfigList,
  ConfigVersionView,
  DiffQuery,
  GatewayParams,
  PushBody,
  PushReply,
  PushResultView,
  RollbackBody,
  VersionParams,
} from './schemas.js';
import type { PushResult } from './service.js';
import { applyTagsCsv, tagsToCsv } from './tags-csv.js';

/** The largest tag CSV taken: 30,000 tags of ~150 bytes, with room to spare. */
const CSV_LIMIT = 16 * 1024 * 1024;

function summary(v: EdgeConfigVersion): Omit<EdgeConfigVersion, 'config' | 'project'> {
  const { config: _config, project: _project, ...rest } = v;
  return rest;
}

/** Who pushed: the audit log's "who" (a user name or an API key's name). */
function author(p: Principal): string {
  return p.kind === 'apiKey' ? `apikey:${p.name}` : p.name;
}

/**
 * Config versions: list, one, diff of two; push to one or many gateways with each one's ack;
 * roll back; the tag list as CSV (export, and import as a new version).
 */
export function configRoutes(app: FastifyInstance, ctx: FleetContext): void {
  const { access, auditor, store, fleet } = ctx;
  const configs = store.metadata.edgeConfigs;
  const engineer = access.require('engineer');
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  const version = async (gateway: Gateway, v: number): Promise<EdgeConfigVersion> => {
    const found = await configs.get(gateway.node, v);
    // A version stored for this node under another project (a node re-registered) is not shown.
    if (!found || found.project !== gateway.project)
      throw FleetApiErrors.VERSION_NOT_FOUND.create([gateway.id, v]);
    return found;
  };

  const audit = async (req: FastifyRequest, action: string, gateway: Gateway, r: PushResult) => {
    await auditor.record(req, {
      action,
      resource: 'edge-config',
      resourceId: `${gateway.node}@${r.version}`,
      project: gateway.project,
      after: { gateway: gateway.id, version: r.version, checksum: r.checksum, outcome: r.outcome },
    });
  };

  api.get(
    '/gateways/:id/configs',
    {
      schema: {
        summary: 'Config versions pushed to the gateway, newest first, with its ack of each',
        tags,
        params: GatewayParams,
        response: { 200: ConfigList, ...errorResponses },
      },
    },
    async (req) => {
      const gateway = await ctx.visible(req, req.params.id);
      const list = await configs.list(gateway.node);
      return { items: list.filter((v) => v.project === gateway.project).map(summary) };
    },
  );

  api.get(
    '/gateways/:id/configs/diff',
    {
      schema: {
        summary: 'What changed from one config version to another: added, removed and changed paths',
        tags,
        params: GatewayParams,
        querystring: DiffQuery,
        response: { 200: ConfigDiffView, ...errorResponses },
      },
    },
    async (req) => {
      const gateway = await ctx.visible(req, req.params.id);
      const [from, to] = await Promise.all([
        version(gateway, req.query.from),
        version(gateway, req.query.to),
      ]);
      return { from: from.version, to: to.version, ...diffConfigs(from.config, to.config) };
    },
  );

  api.get(
    '/gateways/:id/configs/:version',
    {
      schema: {
        summary: 'One config version, the config included',
        tags,
        params: VersionParams,
        response: { 200: ConfigVersionView, ...errorResponses },
      },
    },
    async (req) => {
      const gateway = await ctx.visible(req, req.params.id);
      const { project: _project, ...rest } = await version(gateway, req.params.version);
      return rest;
    },
  );

  api.post(
    '/configs/push',
    {
      preHandler: engineer,
      schema: {
        summary:
          'Push a config to one or many gateways; answers with each gateway’s ack (timeout; queued while it is offline)',
        tags,
        body: PushBody,
        response: { 200: PushReply, ...errorResponses },
      },
    },
    async (req) => {
      // Every target must be visible before anything is pushed: all or none are addressed.
      const gateways = await Promise.all([...new Set(req.body.gateways)].map((id) => ctx.visible(req, id)));
      const results = await fleet.push(gateways, req.body.config as Json, author(access.principal(req)));
      for (const [i, r] of results.entries()) await audit(req, 'push', gateways[i]!, r);
      return { results };
    },
  );

  api.post(
    '/gateways/:id/rollback',
    {
      preHandler: engineer,
      schema: {
        summary: 'Push an earlier version’s config again, as a new version',
        tags,
        params: GatewayParams,
        body: RollbackBody,
        response: { 200: PushResultView, ...errorResponses },
      },
    },
    async (req) => {
      const gateway = await ctx.visible(req, req.params.id);
      await version(gateway, req.body.version);
      const result = await fleet.rollback(gateway, req.body.version, author(access.principal(req)));
      await audit(req, 'rollback', gateway, result);
      return result;
    },
  );

  api.get(
    '/gateways/:id/tags',
    {
      schema: {
        summary: 'The tags of the gateway’s newest config version as CSV (one row per tag)',
        tags,
        params: GatewayParams,
        produces: ['text/csv'],
        response: { 200: { type: 'string' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const gateway = await ctx.visible(req, req.params.id);
      const latest = await configs.latest(gateway.node);
      const config = latest?.project === gateway.project ? latest.config : undefined;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${gateway.node}-tags.csv"`)
        .send(tagsToCsv(config));
    },
  );

  app.register((csv, _opts, done) => {
    csv.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    csv.withTypeProvider<TypeBoxTypeProvider>().put(
      '/gateways/:id/tags',
      {
        preHandler: engineer,
        schema: {
          summary:
            'Import tags from CSV: each group the CSV names gets exactly its rows; pushed as a new version',
          tags,
          params: GatewayParams,
          consumes: ['text/csv'],
          body: { type: 'string' },
          response: { 200: PushResultView, ...errorResponses },
        },
      },
      async (req) => {
        const gateway = await ctx.visible(req, req.params.id);
        const latest = await configs.latest(gateway.node);
        if (!latest || latest.project !== gateway.project)
          throw FleetApiErrors.NO_BASE_CONFIG.create([gateway.id]);
        const config = applyTagsCsv(latest.config, req.body);
        const [result] = await fleet.push([gateway], config, author(access.principal(req)));
        await audit(req, 'import-tags', gateway, result!);
        return result!;
      },
    );
    done();
  });
}
