import { Type } from 'typebox';
import { ROLES } from '../auth/access.js';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const ProjectSchema = Type.String({
  description: '`<organisation>/<project>`, or `*` for the whole installation',
  maxLength: 129,
});

export const UserView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  project: Type.String(),
  mustChangePassword: Type.Boolean(),
  disabled: Type.Boolean(),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});

export const UserCreate = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$' }),
    role: RoleSchema,
    project: Type.Optional(ProjectSchema),
    password: Type.Optional(
      Type.String({ maxLength: 1024, description: 'the one-time password; generated when omitted' }),
    ),
  },
  { additionalProperties: false },
);

export const UserPatch = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    project: Type.Optional(ProjectSchema),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const PasswordReset = Type.Object(
  { password: Type.Optional(Type.String({ maxLength: 1024 })) },
  { additionalProperties: false },
);

export const UserWithPassword = Type.Object({
  user: UserView,
  /** Present when the server generated it: shown this once. */
  initialPassword: Type.Optional(Type.String()),
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
export const ProjectQuery = Type.Object({ project: Type.Optional(ProjectSchema) });

export const ApiKeyView = Type.Object({
  id: Type.String(),
  prefix: Type.String(),
  name: Type.String(),
  role: Type.String(),
  project: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.Number(),
  expiresAt: Type.Optional(Type.Number()),
  revokedAt: Type.Optional(Type.Number()),
});

export const ApiKeyCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: RoleSchema,
    project: Type.Optional(ProjectSchema),
    expiresAt: Type.Optional(
      Type.Integer({ minimum: 0, description: 'ms epoch; never expires when omitted' }),
    ),
  },
  { additionalProperties: false },
);

export const ApiKeyCreated = Type.Object({
  apiKey: ApiKeyView,
  /** The full key, `wsk_<prefix>_<secret>`: shown this once, it cannot be recovered. */
  key: Type.String(),
});
