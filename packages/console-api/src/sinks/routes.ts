import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '@watershed/common';
import type { Store } from '@watershed/store';
import type { Access, Auditor } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { registerSinkChanges } from './change-routes.js';
import { SinkApiErrors } from './errors.js';
import type { SinkRuntime } from './runtime.js';
import { SinkList, SinkListQuery, SinkParams, SinkTypeList, SinkView } from './schemas.js';
import type { SinkStatus } from './status.js';
import { fileSinks, fileView, storedView, type SinkViewBody } from './views.js';

export interface SinksRoutesOptions {
  access: Access;
  /** Sink definitions (`metadata.sinks`) and the rules that write to each sink. */
  store: Store;
  /**
   * The running sinks, managed: with it (and `auditor`) the sinks can be created, changed,
   * enabled, disabled, tested and deleted (issue 5). Also serves as `sinks`.
   */
  runtime?: SinkRuntime;
  /** Read-only status, for a server whose sinks come from its config file only. */
  sinks?: SinkStatus;
  auditor?: Auditor;
  clock?: Clock;
}

const tags = ['sinks'];

/**
 * `/api/v1/sinks`: data-integration sinks with health and row metrics (issue 8) and, given a
 * runtime, their management (issue 5). Sinks of the server's config file are installation-wide:
 * every project sees them and nobody changes them here. Sinks made through the API belong to a
 * project: another project's sink answers 404. Which rules use a sink is shown only for the
 * rules the caller may see. Reads are for every role; changes for engineers.
 */
export const sinksRoutes: FastifyPluginCallbackTypebox<SinksRoutesOptions> = (app, opts, done) => {
  const { access, store, runtime, auditor } = opts;
  const status = runtime ?? opts.sinks;
  if (!status) throw new TypeError('sinksRoutes needs a runtime or a sink status');

  /** Sink id → ids of the caller's rules with a `sink` action to it. */
  const usage = async (req: FastifyRequest): Promise<Map<string, string[]>> => {
    const project = access.project(req);
    const rules = await store.metadata.rules.list(project !== undefined ? { project } : {});
    const by = new Map<string, string[]>();
    for (const rule of rules) {
      if (!access.canSee(req, rule.project)) continue;
      for (const sink of sinkIds(rule.definition)) {
        const ids = by.get(sink) ?? [];
        if (!ids.includes(rule.id)) ids.push(rule.id);
        by.set(sink, ids);
      }
    }
    return by;
  };

  /** Every sink the request may see, file sinks first where ids would tie (they cannot). */
  const visible = async (req: FastifyRequest): Promise<SinkViewBody[]> => {
    const by = await usage(req);
    const project = access.project(req);
    const files = fileSinks(status, runtime).map((s) => fileView(s, status, by.get(s.id) ?? []));
    const stored = runtime
      ? (await store.metadata.sinks.list(project !== undefined ? { project } : {}))
          .filter((r) => access.canSee(req, r.project))
          .map((r) => storedView(r, status, by.get(r.id) ?? []))
      : [];
    return [...files, ...stored].sort((a, b) => a.id.localeCompare(b.id));
  };

  app.get(
    '/sinks',
    {
      schema: {
        summary: 'The sinks with their definition (secrets masked), health and row metrics',
        tags,
        querystring: SinkListQuery,
        response: { 200: SinkList, ...errorResponses },
      },
    },
    async (req) => ({ items: await visible(req) }),
  );

  app.get(
    '/sinks/:id',
    {
      schema: {
        summary: 'One sink with its definition (secrets masked), health and row metrics',
        tags,
        params: SinkParams,
        response: { 200: SinkView, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const file = fileSinks(status, runtime).find((s) => s.id === id);
      if (file) return fileView(file, status, (await usage(req)).get(id) ?? []);
      const rec = runtime ? await store.metadata.sinks.get(id) : undefined;
      if (!rec || !access.canSee(req, rec.project)) throw SinkApiErrors.NOT_FOUND.create([id]);
      return storedView(rec, status, (await usage(req)).get(id) ?? []);
    },
  );

  app.get(
    '/sink-types',
    {
      schema: {
        summary: 'The sink types this server offers, each with the JSON schema of its config',
        tags,
        response: { 200: SinkTypeList, ...errorResponses },
      },
    },
    () => Promise.resolve({ items: runtime ? runtime.types() : [] }),
  );

  if (runtime && auditor) registerSinkChanges(app, { access, auditor, store, runtime });

  done();
};

/** The sink ids a stored rule definition's actions write to (`{ type: 'sink', sink }`). */
function sinkIds(definition: unknown): string[] {
  const actions = (definition as { actions?: unknown } | null)?.actions;
  if (!Array.isArray(actions)) return [];
  return actions
    .map((a: unknown) => (a as { type?: unknown; sink?: unknown } | null) ?? {})
    .filter((a) => a.type === 'sink' && typeof a.sink === 'string')
    .map((a) => a.sink as string);
}
