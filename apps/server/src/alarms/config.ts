import { Type, type Static } from 'typebox';
import { RoleMapping, RuleSetProfile } from '@watershed/alarms';
import { Severity } from '@watershed/model';

/** The server config's `alarms` section (optional; every field has a default). */
export const AlarmsConfig = Type.Object(
  {
    webhooks: Type.Optional(
      Type.Array(
        Type.Object(
          {
            url: Type.String({ format: 'uri', description: 'receives POST { event, alarm } as JSON' }),
            headers: Type.Optional(Type.Record(Type.String(), Type.String())),
            minSeverity: Type.Optional(Severity),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    ruleSets: Type.Optional(
      Type.Array(
        Type.Object(
          {
            set: Type.Literal('gb5749-2022'),
            project: Type.String({ minLength: 1 }),
            profile: Type.Optional(RuleSetProfile),
            mapping: Type.Array(RoleMapping, { minItems: 1 }),
          },
          { additionalProperties: false },
        ),
        {
          description:
            'rule sets seeded at start: missing rules are created, existing (maybe tuned) ones kept',
        },
      ),
    ),
    historyRetentionDays: Type.Optional(Type.Integer({ minimum: 1, description: 'default 365' })),
  },
  { additionalProperties: false },
);
export type AlarmsConfig = Static<typeof AlarmsConfig>;
