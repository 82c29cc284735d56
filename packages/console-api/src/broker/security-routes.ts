import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Access, Auditor } from '../auth/access.js';
import { errorResponses } from '../schemas.js';
import { asJson, INSTALLATION, tags } from './audit.js';
import { BrokerApiErrors } from './errors.js';
import type { BrokerOperations } from './operations.js';
import {
  AclRule,
  AclRuleParams,
  AclRuleUpdate,
  AclView,
  BrokerUser,
  NewAclRule,
  NewUser,
  UserList,
  UserParams,
  UserUpdate,
} from './security-schemas.js';

/** Stands for a password in the audit log: that one was set, never what it was. */
const MASKED = '********';

/**
 * `/api/v1/broker/users` and `/broker/acl`: the users of the broker's built-in password source
 * and its ACL rules (EMQX's "Authentication → Users" and "Authorization → Built-in database").
 * The config file's entries are listed read-only; runtime ones are added, changed, moved and
 * removed here, and act at once (see the broker's SecurityEditor for what happens to clients
 * already connected).
 *
 * Reads need viewer, as the broker's other listings: they show no secret. Changes need admin,
 * not the engineer that kicks and bans: those take access away, these grant it — a broker user
 * is a login to every project's data stream, and an ACL allow opens topics to it, so creating
 * either is minting a credential, which in this console is the admin's (console users, API
 * keys). Every change is audited with the entry before and after; a password appears only as
 * "********" (set or changed), never in any form that could be reversed.
 */
export function securityRoutes(
  plugin: FastifyInstance,
  opts: { access: Access; auditor: Auditor; broker: BrokerOperations },
): void {
  const { access, auditor, broker } = opts;
  const admin = access.require('admin');
  const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/broker/users',
    {
      schema: {
        summary: "Users of the broker's built-in password source: the config file's and the runtime ones",
        tags,
        response: { 200: UserList, ...errorResponses },
      },
    },
    async () => {
      const { users, editable, persistent } = await broker.security();
      return { items: users, editable, persistent };
    },
  );

  app.post(
    '/broker/users',
    {
      preHandler: admin,
      schema: {
        summary: 'Add an MQTT user (password stored hashed, never returned); it can connect at once',
        tags,
        body: NewUser,
        response: { 201: BrokerUser, ...errorResponses },
      },
    },
    async (req, reply) => {
      const user = await broker.createUser(req.body);
      await auditor.record(req, {
        action: 'create',
        resource: 'broker-user',
        resourceId: user.username,
        project: INSTALLATION,
        after: asJson({ ...user, password: MASKED }),
      });
      return reply.status(201).send(user);
    },
  );

  app.put(
    '/broker/users/:username',
    {
      preHandler: admin,
      schema: {
        summary: "Change a runtime user's password and/or roles (config-file users are read-only: 409)",
        tags,
        params: UserParams,
        body: UserUpdate,
        response: { 200: BrokerUser, ...errorResponses },
      },
    },
    async (req) => {
      const { username } = req.params;
      const changed = await broker.updateUser(username, req.body);
      if (changed === undefined) throw BrokerApiErrors.USER_NOT_FOUND.create([username]);
      const password = req.body.password !== undefined ? { password: MASKED } : {};
      await auditor.record(req, {
        action: 'update',
        resource: 'broker-user',
        resourceId: username,
        project: INSTALLATION,
        before: asJson(changed.before),
        after: asJson({ ...changed.after, ...password }),
      });
      return changed.after;
    },
  );

  app.delete(
    '/broker/users/:username',
    {
      preHandler: admin,
      schema: {
        summary: 'Remove a runtime user: its next CONNECT is refused (config-file users are read-only: 409)',
        tags,
        params: UserParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { username } = req.params;
      const gone = await broker.deleteUser(username);
      if (gone === undefined) throw BrokerApiErrors.USER_NOT_FOUND.create([username]);
      await auditor.record(req, {
        action: 'delete',
        resource: 'broker-user',
        resourceId: username,
        project: INSTALLATION,
        before: asJson(gone),
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/broker/acl',
    {
      schema: {
        summary: "ACL rules in evaluation order (runtime, then the config file's) and each listener's chain",
        tags,
        response: { 200: AclView, ...errorResponses },
      },
    },
    async () => {
      const { acl, listeners, editable, persistent } = await broker.security();
      return { rules: acl, listeners, editable, persistent };
    },
  );

  app.post(
    '/broker/acl',
    {
      preHandler: admin,
      schema: {
        summary:
          'Add an ACL rule at a position among the runtime rules; PUBLISH/SUBSCRIBE are checked against it at once',
        tags,
        body: NewAclRule,
        response: { 201: AclRule, ...errorResponses },
      },
    },
    async (req, reply) => {
      const rule = await broker.createAclRule(req.body);
      await auditor.record(req, {
        action: 'create',
        resource: 'broker-acl-rule',
        resourceId: rule.id,
        project: INSTALLATION,
        after: asJson(rule),
      });
      return reply.status(201).send(rule);
    },
  );

  app.put(
    '/broker/acl/:id',
    {
      preHandler: admin,
      schema: {
        summary: 'Change a runtime ACL rule and/or move it (position); config-file rules are read-only (409)',
        tags,
        params: AclRuleParams,
        body: AclRuleUpdate,
        response: { 200: AclRule, ...errorResponses },
      },
    },
    async (req) => {
      const { id } = req.params;
      const changed = await broker.updateAclRule(id, req.body);
      if (changed === undefined) throw BrokerApiErrors.ACL_RULE_NOT_FOUND.create([id]);
      await auditor.record(req, {
        action: req.body.position !== undefined && Object.keys(req.body).length === 1 ? 'move' : 'update',
        resource: 'broker-acl-rule',
        resourceId: id,
        project: INSTALLATION,
        before: asJson(changed.before),
        after: asJson(changed.after),
      });
      return changed.after;
    },
  );

  app.delete(
    '/broker/acl/:id',
    {
      preHandler: admin,
      schema: {
        summary: 'Remove a runtime ACL rule (config-file rules are read-only: 409)',
        tags,
        params: AclRuleParams,
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const gone = await broker.deleteAclRule(id);
      if (gone === undefined) throw BrokerApiErrors.ACL_RULE_NOT_FOUND.create([id]);
      await auditor.record(req, {
        action: 'delete',
        resource: 'broker-acl-rule',
        resourceId: id,
        project: INSTALLATION,
        before: asJson(gone),
      });
      return reply.status(204).send(null);
    },
  );
}
