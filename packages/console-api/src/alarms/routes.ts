import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { systemClock, type Clock } from '@watershed/common';
import { isaState, type AlarmService, type AlarmState } from '@watershed/alarms';
import type { Access, Auditor } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { AlarmApiErrors } from './errors.js';
import { actorOf, visibleAlarm } from './guard.js';
import { AlarmStream } from './live.js';
import { alarmRuleRoutes } from './rule-routes.js';
import {
  AckBody,
  AlarmList,
  AlarmListQuery,
  AlarmParams,
  AlarmView,
  CommentBody,
  HistoryPage,
  HistoryQuery,
  ServiceBody,
  ShelveBody,
} from './schemas.js';

export interface AlarmsRoutesOptions {
  access: Access;
  auditor: Auditor;
  alarms: AlarmService;
  clock?: Clock;
  /** Default 15 s. */
  heartbeatMs?: number;
}

const tags = ['alarms'];

export function toView(s: AlarmState): AlarmView {
  return { ...s, status: isaState(s) };
}

/**
 * `/api/v1/alarms`: the alarm list, history and the operator's actions on an alarm (ISA-18.2
 * §11: acknowledge, shelve with an expiry, comment; out of service for engineers), plus the
 * alarm rules and rule sets (rule-routes.ts). Reads are open to every role of the project;
 * acknowledging, shelving and commenting need an operator; taking an alarm out of service and
 * changing rules need an engineer. Every change is audited after it is stored; another project's
 * alarms answer 404.
 */
export const alarmsRoutes: FastifyPluginCallbackTypebox<AlarmsRoutesOptions> = (app, opts, done) => {
  const { access, auditor, alarms } = opts;
  const clock = opts.clock ?? systemClock;
  const operator = access.require('operator');
  const engineer = access.require('engineer');
  const streams = new Set<AlarmStream>();

  app.get(
    '/alarms',
    {
      schema: {
        summary:
          'Alarms needing attention (active, unacknowledged, shelved or out of service), most severe first',
        tags,
        querystring: AlarmListQuery,
        response: { 200: AlarmList, ...errorResponses },
      },
    },
    async (req) => {
      const project = access.project(req);
      const q = req.query;
      const items = alarms
        .list({
          ...(project !== undefined && project !== '*' && { project }),
          ...(q.severity !== undefined && { severity: q.severity }),
          ...(q.state !== undefined && { state: q.state }),
          ...(q.site !== undefined && { site: q.site }),
          ...(q.point !== undefined && { point: q.point }),
          ...(q.includeNormal !== undefined && { includeNormal: q.includeNormal }),
        })
        .filter((s) => access.canSee(req, s.project));
      return Promise.resolve({ items: items.map(toView) });
    },
  );

  app.get(
    '/alarms/history',
    {
      schema: {
        summary: 'What happened to alarms, newest first, a page at a time',
        tags,
        querystring: HistoryQuery,
        response: { 200: HistoryPage, ...errorResponses },
      },
    },
    async (req) => {
      const project = access.project(req);
      const { project: _named, ...q } = req.query;
      return alarms.history({ ...q, ...(project !== undefined && project !== '*' && { project }) });
    },
  );

  app.get(
    '/alarms/live',
    {
      schema: {
        summary: 'Alarm changes as Server-Sent Events',
        description:
          'Event `alarm` carries `{ event, alarm }` for every change of an alarm the principal may see.',
        tags,
        response: {
          200: {
            description: 'text/event-stream of `alarm` and `heartbeat` events',
            content: {
              'text/event-stream': { schema: Type.Object({ event: Type.Unknown(), alarm: AlarmView }) },
            },
          },
          ...errorResponses,
        },
      },
    },
    (req, reply) => {
      reply.hijack(); // the stream outlives the handler; AlarmStream owns the response from here
      const stream = new AlarmStream(reply.raw, clock);
      let unsubscribe = (): void => undefined;
      stream.start(opts.heartbeatMs ?? 15_000, () => {
        unsubscribe();
        streams.delete(stream);
      });
      if (stream.closed) return;
      streams.add(stream);
      unsubscribe = alarms.subscribe((event, state) => {
        if (access.canSee(req, state.project)) stream.send(event, toView(state));
      });
    },
  );

  app.get(
    '/alarms/:id',
    {
      schema: {
        summary: 'One alarm',
        tags,
        params: AlarmParams,
        response: { 200: AlarmView, ...errorResponses },
      },
    },
    async (req) => Promise.resolve(toView(visibleAlarm(access, alarms, req, req.params.id))),
  );

  app.post(
    '/alarms/:id/ack',
    {
      preHandler: operator,
      schema: {
        summary: 'Acknowledge an alarm, optionally with a comment',
        tags,
        params: AlarmParams,
        body: AckBody,
        response: { 200: AlarmView, ...errorResponses },
      },
    },
    async (req) => {
      const before = visibleAlarm(access, alarms, req, req.params.id);
      const after = await alarms.ack(before.id, actorOf(access, req), req.body?.comment);
      await audit(req, 'ack', before, after);
      return toView(after);
    },
  );

  app.post(
    '/alarms/:id/shelve',
    {
      preHandler: operator,
      schema: {
        summary: 'Shelve an alarm until a time (it returns by itself then), with a reason',
        tags,
        params: AlarmParams,
        body: ShelveBody,
        response: { 200: AlarmView, ...errorResponses },
      },
    },
    async (req) => {
      const before = visibleAlarm(access, alarms, req, req.params.id);
      const { until, durationMs, reason } = req.body;
      if ((until === undefined) === (durationMs === undefined)) throw AlarmApiErrors.SHELVE_UNTIL.create([]);
      const expiry = until ?? clock.now() + durationMs!;
      const after = await alarms.shelve(before.id, actorOf(access, req), expiry, reason);
      await audit(req, 'shelve', before, after);
      return toView(after);
    },
  );

  app.post(
    '/alarms/:id/unshelve',
    {
      preHandler: operator,
      schema: {
        summary: 'End a shelving early',
        tags,
        params: AlarmParams,
        response: { 200: AlarmView, ...errorResponses },
      },
    },
    async (req) => {
      const before = visibleAlarm(access, alarms, req, req.params.id);
      const after = await alarms.unshelve(before.id, actorOf(access, req));
      await audit(req, 'unshelve', before, after);
      return toView(after);
    },
  );

  app.post(
    '/alarms/:id/comments',
    {
      preHandler: operator,
      schema: {
        summary: 'Add a comment to an alarm',
        tags,
        params: AlarmParams,
        body: CommentBody,
        response: { 200: AlarmView, ...errorResponses },
      },
    },
    async (req) => {
      const before = visibleAlarm(access, alarms, req, req.params.id);
      const after = await alarms.comment(before.id, actorOf(access, req), req.body.text);
      await audit(req, 'comment', before, after);
      return toView(after);
    },
  );

  app.post(
    '/alarms/:id/service',
    {
      preHandler: engineer,
      schema: {
        summary: 'Take an alarm out of service (maintenance) or return it to service',
        tags,
        params: AlarmParams,
        body: ServiceBody,
        response: { 200: AlarmView, ...errorResponses },
      },
    },
    async (req) => {
      const before = visibleAlarm(access, alarms, req, req.params.id);
      const { outOfService, reason } = req.body;
      const after = await alarms.setOutOfService(before.id, actorOf(access, req), outOfService, reason);
      await audit(req, outOfService ? 'remove-from-service' : 'return-to-service', before, after);
      return toView(after);
    },
  );

  const audit = (
    req: Parameters<Auditor['record']>[0],
    action: string,
    before: AlarmState,
    after: AlarmState,
  ) =>
    auditor.record(req, {
      action,
      resource: 'alarm',
      resourceId: before.id,
      project: before.project,
      before: image(before),
      after: image(after),
    });

  // Open streams would hold server.close() forever; end them before it waits.
  app.addHook('preClose', (done) => {
    for (const s of streams) s.close();
    done();
  });

  app.register(alarmRuleRoutes, { access, auditor, alarms });
  done();
};

/** What the audit log keeps of an alarm: its state, not the comment history. */
function image(s: AlarmState) {
  return {
    status: isaState(s),
    active: s.active,
    acknowledged: s.acknowledged,
    ...(s.shelved && { shelvedUntil: s.shelved.until }),
    ...(s.outOfService && { outOfService: true }),
    ...(s.comments.length > 0 && { lastComment: s.comments[s.comments.length - 1]!.text }),
  };
}
