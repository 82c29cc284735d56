import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AuditQuery, MetadataStore } from '@watershed/store';
import type { Access } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { auditExportLines } from './audit-csv.js';

export interface AuditRoutesOptions {
  access: Access;
  metadata: MetadataStore;
}

const Filter = {
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'inclusive, ms epoch' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'inclusive, ms epoch' })),
  actor: Type.Optional(Type.String({ maxLength: 200, description: 'user name or `apikey:<prefix>`' })),
  action: Type.Optional(Type.String({ maxLength: 200, description: 'e.g. `user.update`' })),
  resource: Type.Optional(Type.String({ maxLength: 300, description: 'e.g. `user:<id>`' })),
  project: Type.Optional(Type.String({ maxLength: 129, description: 'installation-wide principals only' })),
};
const ListQuery = Type.Object(
  {
    ...Filter,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: '`next` of the previous page' })),
  },
  { additionalProperties: false },
);
const ExportQuery = Type.Object(
  { ...Filter, format: Type.Optional(Type.Union([Type.Literal('jsonl'), Type.Literal('csv')])) },
  { additionalProperties: false },
);

const Entry = Type.Object({
  seq: Type.Number(),
  at: Type.Number(),
  actor: Type.String(),
  action: Type.String(),
  resource: Type.String(),
  project: Type.Optional(Type.String()),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
  from: Type.Optional(Type.String()),
});
const Page = Type.Object({ entries: Type.Array(Entry), next: Type.Optional(Type.String()) });

/**
 * /api/v1/audit, engineer and above: who changed what, when, from where, before → after;
 * newest first, filtered and paged by cursor, or exported whole (JSON lines or CSV, streamed).
 * A project's principal sees its project's entries only; installation-wide principals see all,
 * or one project with `project=`.
 */
export const auditRoutes: FastifyPluginAsyncTypebox<AuditRoutesOptions> = (app, opts) => {
  const { access, metadata } = opts;
  const engineer = access.require('engineer');
  const tags = ['audit'];

  function filter(req: FastifyRequest, q: Static<typeof ExportQuery> | Static<typeof ListQuery>): AuditQuery {
    const project = access.project(req);
    const out: AuditQuery = {};
    if (q.from !== undefined) out.from = q.from;
    if (q.to !== undefined) out.to = q.to;
    if (q.actor !== undefined) out.actor = q.actor;
    if (q.action !== undefined) out.action = q.action;
    if (q.resource !== undefined) out.resource = q.resource;
    if (project !== undefined) out.project = project;
    return out;
  }

  app.get(
    '/audit',
    {
      preHandler: engineer,
      schema: {
        tags,
        summary: 'Audit log entries, newest first',
        querystring: ListQuery,
        response: { 200: Page, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      return metadata.audit.query({
        ...filter(req, q),
        limit: q.limit ?? 100,
        ...(q.cursor !== undefined && { cursor: q.cursor }),
      });
    },
  );

  app.get(
    '/audit/export',
    {
      preHandler: engineer,
      schema: {
        tags,
        summary: 'Every matching entry, streamed as JSON lines (default) or CSV',
        querystring: ExportQuery,
        response: {
          200: {
            description: 'JSON lines or RFC 4180 CSV (with a header line), streamed',
            content: {
              'application/x-ndjson': { schema: Type.String() },
              'text/csv': { schema: Type.String() },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const format = req.query.format ?? 'jsonl';
      const lines = auditExportLines(metadata.audit.export(filter(req, req.query)), format);
      // Fastify pipes a stream payload; the typed reply only knows the schema's string body.
      const body = Readable.from(lines) as unknown as string;
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit.${format === 'csv' ? 'csv' : 'jsonl'}"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  return Promise.resolve();
};
