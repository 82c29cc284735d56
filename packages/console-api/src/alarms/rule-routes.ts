import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  RuleSet,
  gb5749RuleSet,
  type AlarmRule,
  type AlarmService,
  type StoredAlarmRule,
} from '@watershed/alarms';
import type { Access, Auditor } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { AlarmApiErrors } from './errors.js';
import { projectOf } from './guard.js';
import {
  AlarmParams,
  CreateRuleBody,
  DeleteRuleQuery,
  LoadRuleSetBody,
  LoadRuleSetReply,
  RuleList,
  RuleListQuery,
  RuleSetParams,
  RuleView,
  UpdateRuleBody,
} from './schemas.js';

export interface AlarmRuleRoutesOptions {
  access: Access;
  auditor: Auditor;
  alarms: AlarmService;
}

const tags = ['alarms'];

/** The rule sets shipped with the platform, by id. */
const RULE_SETS = { 'gb5749-2022': gb5749RuleSet } as const;

/**
 * `/api/v1/alarm-rules` and `/api/v1/alarm-rule-sets`: alarm rules (reads for every role,
 * changes for engineers, under optimistic concurrency) and the regulatory rule sets shipped as
 * data, which an engineer loads onto the project's points by role.
 */
export const alarmRuleRoutes: FastifyPluginCallbackTypebox<AlarmRuleRoutesOptions> = (app, opts, done) => {
  const { access, auditor, alarms } = opts;
  const engineer = access.require('engineer');

  const visible = async (req: FastifyRequest, id: string): Promise<StoredAlarmRule> => {
    const r = await alarms.getRule(id);
    if (!r || !access.canSee(req, r.rule.project)) throw AlarmApiErrors.RULE_NOT_FOUND.create([id]);
    return r;
  };

  app.get(
    '/alarm-rules',
    {
      schema: {
        summary: 'Alarm rules of the project',
        tags,
        querystring: RuleListQuery,
        response: { 200: RuleList, ...errorResponses },
      },
    },
    async (req) => {
      const project = access.project(req);
      const rules = await alarms.listRules({
        ...(project !== undefined && project !== '*' && { project }),
        ...(req.query.point !== undefined && { point: req.query.point }),
      });
      return { items: rules.filter((r) => access.canSee(req, r.rule.project)) };
    },
  );

  app.get(
    '/alarm-rules/:id',
    {
      schema: {
        summary: 'One alarm rule',
        tags,
        params: AlarmParams,
        response: { 200: RuleView, ...errorResponses },
      },
    },
    async (req) => visible(req, req.params.id),
  );

  app.post(
    '/alarm-rules',
    {
      preHandler: engineer,
      schema: {
        summary: 'Create an alarm rule; it is evaluated at once when enabled',
        tags,
        body: CreateRuleBody,
        response: { 201: RuleView, ...errorResponses },
      },
    },
    async (req, reply) => {
      const rule: AlarmRule = { ...req.body, project: projectOf(access, req) };
      const stored = await alarms.putRule(rule);
      await auditor.record(req, {
        action: 'create',
        resource: 'alarm-rule',
        resourceId: rule.id,
        project: rule.project,
        after: stored.rule,
      });
      return reply.status(201).send(stored);
    },
  );

  app.put(
    '/alarm-rules/:id',
    {
      preHandler: engineer,
      schema: {
        summary: 'Replace an alarm rule at the revision it is based on (409 when stale)',
        tags,
        params: AlarmParams,
        body: UpdateRuleBody,
        response: { 200: RuleView, ...errorResponses },
      },
    },
    async (req) => {
      const current = await visible(req, req.params.id);
      const { revision, ...body } = req.body;
      const rule: AlarmRule = { ...body, id: current.rule.id, project: current.rule.project };
      const stored = await alarms.putRule(rule, revision);
      await auditor.record(req, {
        action: 'update',
        resource: 'alarm-rule',
        resourceId: rule.id,
        project: rule.project,
        before: current.rule,
        after: stored.rule,
      });
      return stored;
    },
  );

  app.delete(
    '/alarm-rules/:id',
    {
      preHandler: engineer,
      schema: {
        summary: 'Delete an alarm rule and its alarm (the history stays)',
        tags,
        params: AlarmParams,
        querystring: DeleteRuleQuery,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const current = await visible(req, req.params.id);
      await alarms.deleteRule(current.rule.id, req.query.revision);
      await auditor.record(req, {
        action: 'delete',
        resource: 'alarm-rule',
        resourceId: current.rule.id,
        project: current.rule.project,
        before: current.rule,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/alarm-rule-sets/:set',
    {
      schema: {
        summary: 'A rule set shipped with the platform (GB 5749-2022), with the source of every limit',
        tags,
        params: RuleSetParams,
        response: { 200: RuleSet, ...errorResponses },
      },
    },
    async (req) => Promise.resolve(ruleSet(req.params.set)),
  );

  app.post(
    '/alarm-rule-sets/:set/load',
    {
      preHandler: engineer,
      schema: {
        summary: 'Create (or refresh) the rule set’s alarm rules on the project’s points, mapped by role',
        tags,
        params: RuleSetParams,
        body: LoadRuleSetBody,
        response: { 200: LoadRuleSetReply, ...errorResponses },
      },
    },
    async (req) => {
      const set = ruleSet(req.params.set);
      const project = projectOf(access, req);
      const result = await alarms.loadRuleSet(set, {
        project,
        mapping: req.body.mapping,
        ...(req.body.profile !== undefined && { profile: req.body.profile }),
        ...(req.body.keepExisting !== undefined && { keepExisting: req.body.keepExisting }),
      });
      await auditor.record(req, {
        action: 'load',
        resource: 'alarm-rule-set',
        resourceId: set.id,
        project,
        after: { ...result, profile: req.body.profile ?? 'standard', points: req.body.mapping.length },
      });
      return result;
    },
  );

  done();
};

function ruleSet(id: string) {
  const load = (RULE_SETS as Record<string, (() => ReturnType<typeof gb5749RuleSet>) | undefined>)[id];
  if (!load) throw AlarmApiErrors.RULE_SET_NOT_FOUND.create([id]);
  return load();
}
