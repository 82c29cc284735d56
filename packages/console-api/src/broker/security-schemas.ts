import { Type, type Static } from 'typebox';

/**
 * Schemas of `/api/v1/broker/users` and `/broker/acl`: the built-in password users and ACL
 * rules, the config file's (read-only) and the runtime ones (editable).
 */

const Ms = (description: string) => Type.Number({ description });

const Source = Type.Union([Type.Literal('file'), Type.Literal('runtime')], {
  description: "'file': from the broker config file, read-only; 'runtime': added here, editable",
});

export const BrokerUser = Type.Object({
  username: Type.String(),
  source: Source,
  passwordScheme: Type.Optional(
    Type.String({ description: "'scrypt' or 'pbkdf2-sha256'; absent = no password login. Never the hash." }),
  ),
  scram: Type.Boolean({ description: 'has SCRAM-SHA-256 keys (MQTT 5 enhanced authentication)' }),
  roles: Type.Array(Type.String()),
  createdAt: Type.Optional(Ms('ms epoch (runtime users)')),
  updatedAt: Type.Optional(Ms('ms epoch of the last change (runtime users)')),
});
export type BrokerUser = Static<typeof BrokerUser>;

const Permission = Type.Union([Type.Literal('allow'), Type.Literal('deny')]);
const Action = Type.Union([Type.Literal('publish'), Type.Literal('subscribe'), Type.Literal('all')]);
const TopicFilter = Type.String({
  minLength: 1,
  maxLength: 65535,
  description: 'MQTT topic filter [MQTT-4.7]; %u = username, %c = client id',
});
const Who = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1 })),
    clientId: Type.Optional(Type.String({ minLength: 1 })),
    role: Type.Optional(Type.String({ minLength: 1 })),
    ipCidr: Type.Optional(Type.String({ minLength: 1, description: 'address or CIDR block' })),
    listener: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false, description: 'every field given must match; none = anyone' },
);

export const AclRule = Type.Object({
  index: Type.Integer({ description: 'evaluation order; the first matching rule decides' }),
  id: Type.String({ description: "stable across edits and moves; file-{n} for the config file's rules" }),
  source: Source,
  permission: Permission,
  action: Action,
  topic: Type.String({ description: 'filter; %u = username, %c = client id' }),
  who: Who,
});
export type AclRule = Static<typeof AclRule>;

const Position = Type.Integer({
  minimum: 0,
  description: "place among the runtime rules, 0 = evaluated first (runtime rules precede the file's)",
});

export const NewUser = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 65535 }),
    password: Type.String({
      minLength: 1,
      maxLength: 65535,
      description: 'stored as an scrypt hash and SCRAM-SHA-256 keys; never returned',
    }),
    roles: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'for ACL rules by role' })),
  },
  { additionalProperties: false },
);
export type NewUser = Static<typeof NewUser>;

export const UserUpdate = Type.Object(
  {
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 65535 })),
    roles: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserUpdate = Static<typeof UserUpdate>;

export const NewAclRule = Type.Object(
  {
    permission: Permission,
    action: Action,
    topic: TopicFilter,
    who: Type.Optional(Who),
    position: Type.Optional(Position),
  },
  { additionalProperties: false, description: 'default position: after the other runtime rules' },
);
export type NewAclRule = Static<typeof NewAclRule>;

export const AclRuleUpdate = Type.Object(
  {
    permission: Type.Optional(Permission),
    action: Type.Optional(Action),
    topic: Type.Optional(TopicFilter),
    who: Type.Optional(Who),
    position: Type.Optional(Position),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'the fields to change; position alone moves the rule',
  },
);
export type AclRuleUpdate = Static<typeof AclRuleUpdate>;

export const UserParams = Type.Object({ username: Type.String({ minLength: 1 }) });
export const AclRuleParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const ListenerPolicy = Type.Object({
  listener: Type.String(),
  allowAnonymous: Type.Boolean(),
  sources: Type.Array(Type.String(), { description: 'authentication source types in chain order' }),
  enhanced: Type.Array(Type.String()),
  aclDefault: Type.Union([Type.Literal('allow'), Type.Literal('deny')]),
});
export type ListenerPolicy = Static<typeof ListenerPolicy>;

const Editable = Type.Boolean({
  description:
    "true: runtime users and rules can be added, changed and removed here; false: only the config file's exist",
});
const Persistent = Type.Boolean({ description: 'runtime edits survive a broker restart' });

/** What the broker's built-in password source and ACL enforce: the config file's and the runtime ones. */
export const BrokerSecurity = Type.Object({
  users: Type.Array(BrokerUser),
  acl: Type.Array(AclRule),
  listeners: Type.Array(ListenerPolicy),
  editable: Editable,
  persistent: Persistent,
});
export type BrokerSecurity = Static<typeof BrokerSecurity>;

export const UserList = Type.Object({
  items: Type.Array(BrokerUser),
  editable: Editable,
  persistent: Persistent,
});
export const AclView = Type.Object({
  rules: Type.Array(AclRule, { description: "in evaluation order: runtime rules, then the file's" }),
  listeners: Type.Array(ListenerPolicy),
  editable: Editable,
  persistent: Persistent,
});
