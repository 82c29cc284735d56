import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Store } from '@watershed/store';
import type { Access } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { SinkApiErrors } from './errors.js';
import { SinkList, SinkListQuery, SinkParams, SinkView } from './schemas.js';
import type { SinkInfo, SinkStatus } from './status.js';

export interface SinksRoutesOptions {
  access: Access;
  /** Reads the rules that write to each sink. */
  store: Store;
  sinks: SinkStatus;
}

const tags = ['sinks'];

/**
 * `/api/v1/sinks`: the running sinks with their health and row metrics, read-only (issue 8).
 * Sinks are installation-wide (the server's config file), so every role of every project sees
 * them; which rules use a sink is shown only for the rules the caller may see.
 */
export const sinksRoutes: FastifyPluginCallbackTypebox<SinksRoutesOptions> = (app, opts, done) => {
  const { access, store, sinks } = opts;

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
  const view = (s: SinkInfo, by: Map<string, string[]>) => ({ ...s, rules: by.get(s.id) ?? [] });

  app.get(
    '/sinks',
    {
      schema: {
        summary: 'The running sinks with health and row metrics',
        tags,
        querystring: SinkListQuery,
        response: { 200: SinkList, ...errorResponses },
      },
    },
    async (req) => {
      const by = await usage(req);
      return { items: sinks.list().map((s) => view(s, by)) };
    },
  );

  app.get(
    '/sinks/:id',
    {
      schema: {
        summary: 'One sink with health and row metrics',
        tags,
        params: SinkParams,
        response: { 200: SinkView, ...errorResponses },
      },
    },
    async (req) => {
      const sink = sinks.get(req.params.id);
      if (!sink) throw SinkApiErrors.NOT_FOUND.create([req.params.id]);
      return view(sink, await usage(req));
    },
  );

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
