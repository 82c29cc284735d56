import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Gateway, Json } from '@watershed/store';
import { errorResponses } from '../schemas.js';
import { tags, type FleetContext } from './context.js';
import { FleetApiErrors } from './errors.js';
import {
  CreateGatewayBody,
  Credentials,
  GatewayDetail,
  GatewayList,
  GatewayParams,
  GatewayView,
  LogTail,
  TagParams,
  WriteBody,
  WriteResult,
} from './schemas.js';

/** The audit image of a gateway: never a secret (none is kept, and none is logged). */
function image(g: Gateway): Json {
  return {
    project: g.project,
    site: g.site,
    node: g.node,
    name: g.name,
    credentialsIssuedAt: g.credentialsIssuedAt,
    ...(g.credentialsRevokedAt !== undefined && { credentialsRevokedAt: g.credentialsRevokedAt }),
  };
}

/**
 * Gateways: register (credentials shown once), list with live status, detail, rotate and
 * revoke credentials, delete; the log tail; live tag writes with a confirm step.
 */
export function gatewayRoutes(app: FastifyInstance, ctx: FleetContext): void {
  const { access, auditor, store, fleet } = ctx;
  const repo = store.metadata.gateways;
  const engineer = access.require('engineer');
  const operator = access.require('operator');
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/gateways',
    {
      schema: {
        summary: 'List the gateways of the project with their live status',
        tags,
        response: { 200: GatewayList, ...errorResponses },
      },
    },
    async (req) => {
      const project = access.project(req);
      const list = await repo.list(project !== undefined ? { project } : {});
      return {
        items: list
          .filter((g) => access.canSee(req, g.project))
          .map((g) => {
            const s = fleet.status(g);
            return {
              ...g,
              status: {
                online: s.online,
                stale: s.stale,
                ...(s.lastSeen !== undefined && { lastSeen: s.lastSeen }),
                ...(s.configVersion !== undefined && { configVersion: s.configVersion }),
              },
            };
          }),
      };
    },
  );

  api.post(
    '/gateways',
    {
      preHandler: engineer,
      schema: {
        summary: 'Register a gateway; its MQTT password is in this answer only',
        tags,
        body: CreateGatewayBody,
        response: { 201: Credentials, ...errorResponses },
      },
    },
    async (req, reply) => {
      const project = access.project(req);
      if (project === undefined) throw FleetApiErrors.PROJECT_REQUIRED.create();
      const { site, node, name } = req.body;
      const { gateway, secret } = await repo.create({ project, site, node, name });
      await auditor.record(req, {
        action: 'create',
        resource: 'gateway',
        resourceId: gateway.id,
        project,
        after: image(gateway),
      });
      return reply.status(201).send({ gateway, mqtt: { username: gateway.node, password: secret } });
    },
  );

  api.get(
    '/gateways/:id',
    {
      schema: {
        summary: 'One gateway with its live status: link state per device, poll statistics, backlog',
        tags,
        params: GatewayParams,
        response: { 200: GatewayDetail, ...errorResponses },
      },
    },
    async (req) => {
      const gateway = await ctx.visible(req, req.params.id);
      return { ...gateway, status: fleet.status(gateway) };
    },
  );

  api.post(
    '/gateways/:id/credentials',
    {
      preHandler: engineer,
      schema: {
        summary: 'Issue new MQTT credentials (the old password stops working); shown this once',
        tags,
        params: GatewayParams,
        response: { 200: Credentials, ...errorResponses },
      },
    },
    async (req) => {
      const before = await ctx.visible(req, req.params.id);
      const { gateway, secret } = await repo.rotate(before.id);
      await auditor.record(req, {
        action: 'rotate',
        resource: 'gateway',
        resourceId: gateway.id,
        project: gateway.project,
        before: image(before),
        after: image(gateway),
      });
      return { gateway, mqtt: { username: gateway.node, password: secret } };
    },
  );

  api.delete(
    '/gateways/:id/credentials',
    {
      preHandler: engineer,
      schema: {
        summary: 'Revoke the MQTT credentials: the gateway cannot log in until new ones are issued',
        tags,
        params: GatewayParams,
        response: { 200: GatewayView, ...errorResponses },
      },
    },
    async (req) => {
      const before = await ctx.visible(req, req.params.id);
      const gateway = await repo.revoke(before.id);
      await auditor.record(req, {
        action: 'revoke',
        resource: 'gateway',
        resourceId: gateway.id,
        project: gateway.project,
        before: image(before),
        after: image(gateway),
      });
      return gateway;
    },
  );

  api.delete(
    '/gateways/:id',
    {
      preHandler: engineer,
      schema: {
        summary: 'Delete a gateway: its credentials end, its config history stays',
        tags,
        params: GatewayParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const gateway = await ctx.visible(req, req.params.id);
      await repo.delete(gateway.id);
      fleet.forget(gateway);
      await auditor.record(req, {
        action: 'delete',
        resource: 'gateway',
        resourceId: gateway.id,
        project: gateway.project,
        before: image(gateway),
      });
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/gateways/:id/logs',
    {
      schema: {
        summary: "The gateway's log tail (warnings and errors by default), oldest first",
        tags,
        params: GatewayParams,
        response: { 200: LogTail, ...errorResponses },
      },
    },
    async (req) => {
      const gateway = await ctx.visible(req, req.params.id);
      return fleet.logs(gateway) ?? { v: 1 as const, node: gateway.node, ts: 0, lines: [], dropped: 0 };
    },
  );

  api.post(
    '/gateways/:id/tags/:tag/write',
    {
      preHandler: operator,
      schema: {
        summary: 'Write a live tag value (confirm: true required); limits are enforced before it is sent',
        tags,
        params: TagParams,
        body: WriteBody,
        response: { 200: WriteResult, ...errorResponses },
      },
    },
    async (req) => {
      const gateway = await ctx.visible(req, req.params.id);
      const { value, confirm } = req.body;
      if (confirm !== true) {
        throw FleetApiErrors.CONFIRM_REQUIRED.create([
          JSON.stringify(value),
          `${gateway.node} ${req.params.tag}`,
        ]);
      }
      const result = await fleet.write(gateway, req.params.tag, value);
      // The command was sent: audited whatever the gateway answered.
      await auditor.record(req, {
        action: 'write',
        resource: 'tag',
        resourceId: result.point || `${gateway.site}.${gateway.node}.${req.params.tag}`,
        project: gateway.project,
        after: {
          value,
          ok: result.ok,
          ...(result.readBack !== undefined && { readBack: result.readBack }),
          ...(result.code !== undefined && { code: result.code }),
        },
      });
      return result;
    },
  );
}
