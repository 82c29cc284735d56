import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { systemClock, type Clock } from '@watershed/common';
import type { Access, Auditor } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { BrokerApiErrors } from './errors.js';
import { actorOf, asJson, INSTALLATION, tags } from './audit.js';
import { securityRoutes } from './security-routes.js';
import type { BrokerOperations } from './operations.js';
import {
  BanCreated,
  BanList,
  BanParams,
  BrokerStats,
  ClientDetails,
  ClientList,
  ClientParams,
  ClientQuery,
  KickQuery,
  ListenerList,
  NewBan,
  RetainedList,
  RetainedQuery,
  RetainedTopicQuery,
  StatsQuery,
  SubscriptionList,
  SubscriptionQuery,
} from './schemas.js';

export interface BrokerRoutesOptions {
  access: Access;
  auditor: Auditor;
  broker: BrokerOperations;
  clock?: Clock;
}

/**
 * `/api/v1/broker/…`: operating the MQTT broker — connected clients (search, details, kick),
 * subscriptions, retained messages, listeners, the ban list and the rate charts (issue 8,
 * "Broker operations").
 *
 * Project isolation: the broker is one per installation and nothing in it belongs to a
 * project — a client id, a retained `$SYS` topic or a ban on an address range says nothing of
 * which project it serves, and kicking or banning acts on every project's devices. So every
 * broker route needs an installation-wide principal (project `*`); a principal of one project
 * is refused with 403 WS_ERR_BROKER_INSTALLATION_ONLY and sees nothing of the broker. Reads
 * need viewer; kicks, retained deletes and bans need engineer. Every change is audited.
 *
 * Users and ACL rules of the broker's built-in sources: see security-routes.ts.
 */
export const brokerRoutes: FastifyPluginCallbackTypebox<BrokerRoutesOptions> = (app, opts, done) => {
  const { access, auditor, broker } = opts;
  const clock = opts.clock ?? systemClock;
  const engineer = access.require('engineer');

  // Encapsulated in this plugin: runs for the broker routes only, after the role check.
  app.addHook('preHandler', (req: FastifyRequest, _reply, next) => {
    const p = access.principal(req);
    next(p.project === INSTALLATION ? undefined : BrokerApiErrors.INSTALLATION_ONLY.create([p.project]));
  });

  app.get(
    '/broker/clients',
    {
      schema: {
        summary: 'Connected MQTT clients, searched by client id, username or peer address',
        tags,
        querystring: ClientQuery,
        response: { 200: ClientList, ...errorResponses },
      },
    },
    async (req) => broker.clients(req.query),
  );

  app.get(
    '/broker/clients/:id',
    {
      schema: {
        summary: 'One connected client: protocol, keepalive, session, inflight/queued, subscriptions',
        tags,
        params: ClientParams,
        response: { 200: ClientDetails, ...errorResponses },
      },
    },
    async (req) => {
      const c = await broker.client(req.params.id);
      if (c === undefined) throw BrokerApiErrors.CLIENT_NOT_FOUND.create([req.params.id]);
      return c;
    },
  );

  app.delete(
    '/broker/clients/:id',
    {
      preHandler: engineer,
      schema: {
        summary:
          'Disconnect a client (MQTT 5: DISCONNECT 0x98 Administrative action), optionally ending its session',
        tags,
        params: ClientParams,
        querystring: KickQuery,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const discardSession = req.query.discardSession ?? false;
      const was = await broker.kick(id, {
        discardSession,
        ...(req.query.reason !== undefined && { reason: req.query.reason }),
      });
      if (was === undefined) throw BrokerApiErrors.CLIENT_NOT_FOUND.create([id]);
      await auditor.record(req, {
        action: discardSession ? 'kick-discard-session' : 'kick',
        resource: 'broker-client',
        resourceId: id,
        project: INSTALLATION,
        before: asJson(was),
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/broker/subscriptions',
    {
      schema: {
        summary: 'Subscriptions of every session, including persistent sessions of absent clients',
        tags,
        querystring: SubscriptionQuery,
        response: { 200: SubscriptionList, ...errorResponses },
      },
    },
    async (req) => broker.subscriptions(req.query),
  );

  app.get(
    '/broker/retained',
    {
      schema: {
        summary: 'Retained messages matching a topic filter, with a payload preview',
        tags,
        querystring: RetainedQuery,
        response: { 200: RetainedList, ...errorResponses },
      },
    },
    async (req) => broker.retained(req.query),
  );

  app.delete(
    '/broker/retained',
    {
      preHandler: engineer,
      schema: {
        summary: 'Delete the retained message of one topic (as an empty retained PUBLISH would)',
        tags,
        querystring: RetainedTopicQuery,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { topic } = req.query;
      const gone = await broker.deleteRetained(topic);
      if (gone === undefined) throw BrokerApiErrors.RETAINED_NOT_FOUND.create([topic]);
      await auditor.record(req, {
        action: 'delete',
        resource: 'broker-retained',
        resourceId: topic,
        project: INSTALLATION,
        before: asJson(gone),
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/broker/listeners',
    {
      schema: {
        summary: 'Listeners with the clients connected through each',
        tags,
        response: { 200: ListenerList, ...errorResponses },
      },
    },
    async () => ({ items: await broker.listeners() }),
  );

  app.get(
    '/broker/bans',
    {
      schema: {
        summary: 'Bans in force: operator bans (editable) and config/flapping bans (read-only)',
        tags,
        response: { 200: BanList, ...errorResponses },
      },
    },
    async () => ({ items: await broker.bans() }),
  );

  app.post(
    '/broker/bans',
    {
      preHandler: engineer,
      schema: {
        summary: 'Ban a client id, username and/or peer address range; matching clients are disconnected now',
        tags,
        body: NewBan,
        response: { 201: BanCreated, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { durationS, until, ...rest } = req.body;
      if (durationS !== undefined && until !== undefined)
        throw BrokerApiErrors.BAN_INVALID.create(['give until or durationS, not both']);
      const end = durationS !== undefined ? clock.now() + durationS * 1000 : until;
      const created = await broker.ban({
        ...rest,
        ...(end !== undefined && { until: end }),
        createdBy: actorOf(access.principal(req)),
      });
      await auditor.record(req, {
        action: 'create',
        resource: 'broker-ban',
        resourceId: created.ban.id,
        project: INSTALLATION,
        after: asJson({ ...created.ban, kicked: created.kicked }),
      });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/broker/bans/:id',
    {
      preHandler: engineer,
      schema: {
        summary: 'Lift an operator ban',
        tags,
        params: BanParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const gone = await broker.unban(req.params.id);
      if (gone === undefined) throw BrokerApiErrors.BAN_NOT_FOUND.create([req.params.id]);
      await auditor.record(req, {
        action: 'delete',
        resource: 'broker-ban',
        resourceId: gone.id,
        project: INSTALLATION,
        before: asJson(gone),
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/broker/stats',
    {
      schema: {
        summary: 'Counters now and per-second connection and message-rate history (15 minutes) for charts',
        tags,
        querystring: StatsQuery,
        response: { 200: BrokerStats, ...errorResponses },
      },
    },
    async (req) => broker.stats(req.query.since),
  );

  securityRoutes(app, { access, auditor, broker });

  done();
};
