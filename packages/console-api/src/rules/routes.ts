import { randomUUID } from 'node:crypto';
import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Rule, Store } from '@watershed/store';
import type { Access, Auditor } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { RuleApiErrors } from './errors.js';
import { KeyedLock } from './keyed-lock.js';
import {
  asJson,
  auditImage,
  etag,
  expectedRevision,
  storedDefinition,
  toDefinition,
  toSpec,
  toView,
} from './records.js';
import type { RuleProblem, RuleRuntime, RuleSpec } from './runtime.js';
import {
  CreateRuleBody,
  RuleInvalidBody,
  RuleList,
  RuleListQuery,
  RuleMetrics,
  RuleParams,
  RuleTestBody,
  RuleTestReply,
  RuleView,
  UpdateRuleBody,
  type StoredDefinition,
} from './schemas.js';

export interface RulesRoutesOptions {
  access: Access;
  auditor: Auditor;
  store: Store;
  runtime: RuleRuntime;
}

const tags = ['rules'];
const IfMatch = {
  type: 'object',
  properties: { 'if-match': { type: 'string', description: 'the revision the change is based on: "3"' } },
} as const;

/**
 * `/api/v1/rules`: the rule engine's rules, persisted in `store.metadata.rules` and applied to
 * the running engine by {@link RuleRuntime} on every change, without a restart (issue 4,
 * "Management"). Reads are for every role of the project; changes and test runs for engineers.
 * A change is validated first (an invalid rule is refused with 400 and nothing is stored), then
 * stored under optimistic concurrency, then applied, then audited.
 */
export const rulesRoutes: FastifyPluginCallbackTypebox<RulesRoutesOptions> = (app, opts, done) => {
  const { access, auditor, store, runtime } = opts;
  const repo = store.metadata.rules;
  const lock = new KeyedLock();
  const engineer = access.require('engineer');

  /** The rule if the request may see it; 404 otherwise, so another project's rules do not leak. */
  const visible = async (req: FastifyRequest, id: string): Promise<Rule> => {
    const rule = await repo.get(id);
    if (!rule || !access.canSee(req, rule.project)) throw RuleApiErrors.NOT_FOUND.create([id]);
    return rule;
  };

  const refuse = (reply: FastifyReply, id: string, problems: RuleProblem[]) =>
    reply.status(RuleApiErrors.INVALID.status).send({
      code: RuleApiErrors.INVALID.code,
      message: RuleApiErrors.INVALID.create([id, problems.map(describe).join('; ')]).message,
      problems,
    });

  app.get(
    '/rules',
    {
      schema: {
        summary: 'List the rules of the project with a metrics summary each',
        tags,
        querystring: RuleListQuery,
        response: { 200: RuleList, ...errorResponses },
      },
    },
    async (req) => {
      const project = access.project(req);
      const rules = await repo.list({
        ...(project !== undefined && { project }),
        ...(req.query.enabled !== undefined && { enabled: req.query.enabled }),
      });
      return { items: rules.filter((r) => access.canSee(req, r.project)).map((r) => toView(r, runtime)) };
    },
  );

  app.get(
    '/rules/:id',
    {
      schema: {
        summary: 'One rule; its ETag is the revision to send back when changing it',
        tags,
        params: RuleParams,
        response: { 200: RuleView, ...errorResponses },
      },
    },
    async (req, reply) => {
      const rule = await visible(req, req.params.id);
      void reply.header('etag', etag(rule));
      return toView(rule, runtime);
    },
  );

  app.get(
    '/rules/:id/metrics',
    {
      schema: {
        summary: 'Counters of a rule and its actions since it was installed in this process',
        tags,
        params: RuleParams,
        response: { 200: RuleMetrics, ...errorResponses },
      },
    },
    async (req) => {
      const rule = await visible(req, req.params.id);
      const m = runtime.metrics(rule.id);
      if (m) return m;
      const actions = storedDefinition(rule)?.actions ?? [];
      return {
        matched: 0,
        passed: 0,
        noResult: 0,
        failed: 0,
        failedByReason: {},
        rowsOut: 0,
        windowsEmitted: 0,
        ratePerSecond: 0,
        actions: actions.map((a, index) => ({ index, type: a.type, success: 0, failed: 0 })),
      };
    },
  );

  app.post(
    '/rules',
    {
      preHandler: engineer,
      schema: {
        summary: 'Create a rule; it runs at once when enabled',
        tags,
        body: CreateRuleBody,
        response: { 201: RuleView, 400: RuleInvalidBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const project = access.project(req);
      if (project === undefined) throw RuleApiErrors.PROJECT_REQUIRED.create([]);
      const id = req.body.id ?? randomUUID();
      const def = toDefinition(req.body, 'api');
      const spec = toSpec(id, req.body.enabled ?? true, def);
      const problems = runtime.validate(spec);
      if (problems.length > 0) return refuse(reply, id, problems);
      const rule = await lock.run(id, async () => {
        const created = await repo.put({
          id,
          project,
          name: req.body.name,
          enabled: spec.enabled,
          definition: asJson(def),
        });
        await applyOrUndo(spec, () => repo.delete(id, created.revision));
        return created;
      });
      await auditor.record(req, {
        action: 'create',
        resource: 'rule',
        resourceId: id,
        project,
        after: auditImage(rule),
      });
      return reply.status(201).header('etag', etag(rule)).send(toView(rule, runtime));
    },
  );

  app.put(
    '/rules/:id',
    {
      preHandler: engineer,
      schema: {
        summary: 'Replace a rule (optimistic concurrency: If-Match or revision; 409 when stale)',
        tags,
        params: RuleParams,
        headers: IfMatch,
        body: UpdateRuleBody,
        response: { 200: RuleView, 400: RuleInvalidBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const expected = expectedRevision(req, req.body.revision);
      const current = await visible(req, id);
      if (expected === undefined) throw RuleApiErrors.REVISION_REQUIRED.create([id]);
      const def = toDefinition(req.body, storedDefinition(current)?.origin ?? 'api');
      const spec = toSpec(id, req.body.enabled ?? current.enabled, def);
      const problems = runtime.validate(spec);
      if (problems.length > 0) return refuse(reply, id, problems);
      const { before, after } = await lock.run(id, async () => {
        const prev = await visible(req, id);
        const next = await repo.put(
          { id, project: prev.project, name: req.body.name, enabled: spec.enabled, definition: asJson(def) },
          expected,
        );
        await applyOrUndo(spec, async () => {
          await repo.put(
            {
              id,
              project: prev.project,
              name: prev.name,
              enabled: prev.enabled,
              definition: prev.definition,
            },
            next.revision,
          );
        });
        return { before: prev, after: next };
      });
      await auditor.record(req, {
        action: 'update',
        resource: 'rule',
        resourceId: id,
        project: after.project,
        before: auditImage(before),
        after: auditImage(after),
      });
      return reply.header('etag', etag(after)).send(toView(after, runtime));
    },
  );

  app.delete(
    '/rules/:id',
    {
      preHandler: engineer,
      schema: {
        summary: 'Delete a rule; it stops at once (If-Match optional: 409 when stale)',
        tags,
        params: RuleParams,
        headers: IfMatch,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const expected = expectedRevision(req);
      const before = await lock.run(id, async () => {
        const prev = await visible(req, id);
        await repo.delete(id, expected);
        runtime.remove(id);
        return prev;
      });
      await auditor.record(req, {
        action: 'delete',
        resource: 'rule',
        resourceId: id,
        project: before.project,
        before: auditImage(before),
      });
      return reply.status(204).send(null);
    },
  );

  for (const enabled of [true, false]) {
    const verb = enabled ? 'enable' : 'disable';
    app.post(
      `/rules/:id/${verb}`,
      {
        preHandler: engineer,
        schema: {
          summary: enabled ? 'Start a rule' : 'Stop a rule (its metrics are kept)',
          tags,
          params: RuleParams,
          headers: IfMatch,
          response: { 200: RuleView, 400: RuleInvalidBody, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { id } = req.params;
        const expected = expectedRevision(req);
        const outcome = await lock.run<Toggled>(id, async () => {
          const prev = await visible(req, id);
          const def: StoredDefinition | undefined = storedDefinition(prev);
          const spec = def && toSpec(id, enabled, def);
          // Disabling always works, even a rule whose definition no longer compiles.
          const problems: RuleProblem[] = !spec
            ? [
                {
                  code: RuleApiErrors.INVALID.code,
                  message: 'the stored definition is not a rule definition',
                },
              ]
            : enabled
              ? runtime.validate(spec)
              : [];
          if (problems.length > 0) return { problems };
          const next = await repo.setEnabled(id, enabled, expected);
          if (spec) await applyOrUndo(spec, () => repo.setEnabled(id, prev.enabled, next.revision));
          else runtime.remove(id);
          return { before: prev, after: next };
        });
        if ('problems' in outcome) return refuse(reply, id, outcome.problems);
        await auditor.record(req, {
          action: verb,
          resource: 'rule',
          resourceId: id,
          project: outcome.after.project,
          before: auditImage(outcome.before),
          after: auditImage(outcome.after),
        });
        return reply.header('etag', etag(outcome.after)).send(toView(outcome.after, runtime));
      },
    );
  }

  app.post(
    '/rules/test',
    {
      preHandler: engineer,
      schema: {
        summary: 'Run SQL on sample messages: output rows, errors with positions, what each action would do',
        description: 'No side effects: nothing is stored, published or written to a sink.',
        tags,
        body: RuleTestBody,
        response: { 200: RuleTestReply, ...errorResponses },
      },
    },
    (req) =>
      // Synchronous and side-effect free; fastify takes a promise from a non-async handler.
      Promise.resolve(
        runtime.test({
          sql: req.body.sql,
          context: req.body.context,
          ...(req.body.actions !== undefined && { actions: req.body.actions }),
          ...(req.body.eventTime !== undefined && { eventTime: req.body.eventTime }),
        }),
      ),
  );

  /**
   * Applies a stored change to the engine; if the engine refuses it after all (the spec was
   * validated, so only a change in the environment, such as a sink type removed, gets here),
   * undoes the store write so the store never holds a rule the engine does not run.
   */
  async function applyOrUndo(spec: RuleSpec, undo: () => Promise<unknown>): Promise<void> {
    try {
      runtime.apply(spec);
    } catch (err) {
      await undo();
      throw err;
    }
  }

  done();
};

type Toggled = { problems: RuleProblem[] } | { before: Rule; after: Rule };

function describe(p: RuleProblem): string {
  const at =
    p.line !== undefined ? ` (line ${p.line}, column ${p.column ?? 0})` : p.path ? ` (${p.path})` : '';
  return `${p.message}${at}`;
}
