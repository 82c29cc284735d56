import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Json, SinkDefinitionRecord, Store } from '@watershed/store';
import type { Access, Auditor } from '../auth/access.js';
import { KeyedLock } from '../rules/keyed-lock.js';
import { errorResponses } from '../schemas.js';
import { SinkApiErrors } from './errors.js';
import type { SinkProblem, SinkRuntime, SinkSpec } from './runtime.js';
import {
  CreateSinkBody,
  SinkInvalidBody,
  SinkParams,
  SinkRemoved,
  SinkTestBody,
  SinkTestReply,
  SinkView,
  StoredSinkTestBody,
  UpdateSinkBody,
} from './schemas.js';
import { restoreSecrets } from './secrets.js';
import { auditImage, storedView } from './views.js';

export interface SinkChangeDeps {
  access: Access;
  auditor: Auditor;
  store: Store;
  runtime: SinkRuntime;
}

const tags = ['sinks'];
const DEFAULT_TEST_TIMEOUT_MS = 5_000;

type Config = Record<string, unknown>;

/**
 * The changing half of `/api/v1/sinks` (issue 5), for engineers. A change is validated against
 * the sink type's own schema first (400 naming each bad field by path, nothing stored), then
 * stored under optimistic concurrency, then applied to the running sink (which drains into its
 * replacement), then audited with secrets masked. Changes to one sink run one after another.
 */
export function registerSinkChanges(app: FastifyInstance, deps: SinkChangeDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { access, auditor, store, runtime } = deps;
  const repo = store.metadata.sinks;
  const lock = new KeyedLock();
  const engineer = access.require('engineer');

  const isFileSink = (id: string) => runtime.fileSinks().some((s) => s.id === id);

  /** The stored sink if the request may see it; a file sink is refused as read-only. */
  const changeable = async (req: FastifyRequest, id: string, verb: string): Promise<SinkDefinitionRecord> => {
    if (isFileSink(id)) throw SinkApiErrors.FROM_FILE.create([id, verb]);
    const rec = await repo.get(id);
    if (!rec || !access.canSee(req, rec.project)) throw SinkApiErrors.NOT_FOUND.create([id]);
    return rec;
  };

  const refuse = (reply: FastifyReply, id: string, problems: SinkProblem[]) =>
    reply.status(SinkApiErrors.INVALID.status).send({
      code: SinkApiErrors.INVALID.code,
      message: SinkApiErrors.INVALID.create([
        id,
        problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; '),
      ]).message,
      problems,
    });

  /**
   * Applies a stored change to the runtime; if the runtime cannot create the sink after all
   * (validated, so only the environment gets here), undoes the store write so the store never
   * holds a definition the server does not run.
   */
  const applyOrUndo = async (spec: SinkSpec, undo: () => Promise<unknown>): Promise<void> => {
    try {
      await runtime.apply(spec);
    } catch (err) {
      await undo();
      throw err;
    }
  };

  const view = (rec: SinkDefinitionRecord) => storedView(rec, runtime, []);

  api.post(
    '/sinks',
    {
      preHandler: engineer,
      schema: {
        summary: 'Create a sink; it runs at once when enabled',
        tags,
        body: CreateSinkBody,
        response: { 201: SinkView, 400: SinkInvalidBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const project = access.project(req);
      if (project === undefined) throw SinkApiErrors.PROJECT_REQUIRED.create([]);
      const { id, type } = req.body;
      if (isFileSink(id)) throw SinkApiErrors.EXISTS.create([id]);
      const spec: SinkSpec = { id, type, enabled: req.body.enabled ?? true, config: req.body.config };
      const problems = runtime.validate(spec);
      if (problems.length > 0) return refuse(reply, id, problems);
      const created = await lock.run(id, async () => {
        if (await repo.get(id)) throw SinkApiErrors.EXISTS.create([id]);
        const rec = await repo.put({ id, project, type, enabled: spec.enabled, config: asJson(spec.config) });
        await applyOrUndo(spec, () => repo.delete(id, rec.revision));
        return rec;
      });
      await auditor.record(req, {
        action: 'create',
        resource: 'sink',
        resourceId: id,
        project,
        after: auditImage(created),
      });
      return reply.status(201).send(view(created));
    },
  );

  api.put(
    '/sinks/:id',
    {
      preHandler: engineer,
      schema: {
        summary: 'Replace a sink’s config; the running sink drains into its replacement, nothing is lost',
        tags,
        params: SinkParams,
        body: UpdateSinkBody,
        response: { 200: SinkView, 400: SinkInvalidBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const current = await changeable(req, id, 'changed');
      if (req.body.type !== undefined && req.body.type !== current.type)
        throw SinkApiErrors.TYPE_CHANGE.create([id, current.type, req.body.type]);
      const config = restoreSecrets(req.body.config, current.config);
      const spec: SinkSpec = { id, type: current.type, enabled: req.body.enabled ?? current.enabled, config };
      const problems = runtime.validate(spec);
      if (problems.length > 0) return refuse(reply, id, problems);
      const { before, after } = await lock.run(id, async () => {
        const prev = await changeable(req, id, 'changed');
        const next = await repo.put(
          { id, project: prev.project, type: prev.type, enabled: spec.enabled, config: asJson(config) },
          req.body.revision ?? prev.revision,
        );
        await applyOrUndo(spec, () => repo.put(input(prev), next.revision));
        return { before: prev, after: next };
      });
      await auditor.record(req, {
        action: 'update',
        resource: 'sink',
        resourceId: id,
        project: after.project,
        before: auditImage(before),
        after: auditImage(after),
      });
      return view(after);
    },
  );

  api.delete(
    '/sinks/:id',
    {
      preHandler: engineer,
      schema: {
        summary: 'Delete a sink: it drains within its closeTimeoutMs, then its queue is discarded',
        description: 'Rules that still write to it fail those rows, reported in their action metrics.',
        tags,
        params: SinkParams,
        response: { 200: SinkRemoved, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const { before, discarded } = await lock.run(id, async () => {
        const prev = await changeable(req, id, 'deleted');
        await repo.delete(id, prev.revision);
        const removed = await runtime.remove(id);
        return { before: prev, discarded: removed.discarded };
      });
      await auditor.record(req, {
        action: 'delete',
        resource: 'sink',
        resourceId: id,
        project: before.project,
        before: auditImage(before),
        ...(discarded > 0 && { after: { discarded } }),
      });
      return { discarded };
    },
  );

  for (const enabled of [true, false]) {
    const verb = enabled ? 'enable' : 'disable';
    api.post(
      `/sinks/:id/${verb}`,
      {
        preHandler: engineer,
        schema: {
          summary: enabled
            ? 'Start a sink (rows kept on its disk queue are sent first)'
            : 'Stop a sink: it drains, keeps the rest on disk; rules writing to it fail those rows meanwhile',
          tags,
          params: SinkParams,
          response: { 200: SinkView, 400: SinkInvalidBody, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { id } = req.params;
        const outcome = await lock.run<Toggled>(id, async () => {
          const prev = await changeable(req, id, `${verb}d`);
          const spec: SinkSpec = { id, type: prev.type, enabled, config: prev.config };
          // Disabling always works, even a sink whose type no longer accepts its config.
          const problems = enabled ? runtime.validate(spec) : [];
          if (problems.length > 0) return { problems };
          const next = await repo.put({ ...input(prev), enabled }, prev.revision);
          await applyOrUndo(spec, () => repo.put(input(prev), next.revision));
          return { before: prev, after: next };
        });
        if ('problems' in outcome) return refuse(reply, id, outcome.problems);
        await auditor.record(req, {
          action: verb,
          resource: 'sink',
          resourceId: id,
          project: outcome.after.project,
          before: auditImage(outcome.before),
          after: auditImage(outcome.after),
        });
        return view(outcome.after);
      },
    );
  }

  api.post(
    '/sinks/test',
    {
      preHandler: engineer,
      schema: {
        summary:
          'Check that a sink config reaches its peer (connect, health, close); nothing is stored or sent',
        tags,
        body: SinkTestBody,
        response: { 200: SinkTestReply, 400: SinkInvalidBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const spec: SinkSpec = {
        id: 'connectivity-test',
        type: req.body.type,
        enabled: true,
        config: req.body.config,
      };
      const problems = runtime.validate(spec);
      if (problems.length > 0) return refuse(reply, spec.id, problems);
      return runtime.test(spec, req.body.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS);
    },
  );

  api.post(
    '/sinks/:id/test',
    {
      preHandler: engineer,
      schema: {
        summary:
          'Check that a sink (its saved config, or the config sent) reaches its peer; nothing is stored or sent',
        tags,
        params: SinkParams,
        body: StoredSinkTestBody,
        response: { 200: SinkTestReply, 400: SinkInvalidBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const saved = await savedConfig(req, id);
      const config: Config = req.body?.config ? restoreSecrets(req.body.config, saved.config) : saved.config;
      const spec: SinkSpec = { id, type: saved.type, enabled: true, config };
      const problems = runtime.validate(spec);
      if (problems.length > 0) return refuse(reply, id, problems);
      return runtime.test(spec, req.body?.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS);
    },
  );

  /** A file sink's or a visible stored sink's type and config (secrets in clear, server side). */
  async function savedConfig(req: FastifyRequest, id: string): Promise<{ type: string; config: Config }> {
    const file = runtime.fileSinks().find((s) => s.id === id);
    if (file) return { type: file.type, config: { ...file.config } };
    const rec = await repo.get(id);
    if (!rec || !access.canSee(req, rec.project)) throw SinkApiErrors.NOT_FOUND.create([id]);
    return { type: rec.type, config: rec.config };
  }
}

type Toggled = { problems: SinkProblem[] } | { before: SinkDefinitionRecord; after: SinkDefinitionRecord };

function input(rec: SinkDefinitionRecord) {
  return { id: rec.id, project: rec.project, type: rec.type, enabled: rec.enabled, config: rec.config };
}

/** Request bodies are parsed JSON: plain data, which is what the store keeps. */
function asJson(config: Config): { [key: string]: Json } {
  return config as { [key: string]: Json };
}
