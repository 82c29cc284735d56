import { Type, type Static } from 'typebox';
import {
  AlarmEventKind,
  AlarmRule,
  AlarmState,
  IsaState,
  RoleMapping,
  RuleSetProfile,
} from '@watershed/alarms';
import { Severity } from '@watershed/model';

const ProjectQuery = {
  project: Type.Optional(Type.String({ description: 'for installation-wide principals' })),
};

export const AlarmView = Type.Object(
  { ...AlarmState.properties, status: IsaState },
  { additionalProperties: false, description: 'An alarm and its ISA-18.2 state' },
);
export type AlarmView = Static<typeof AlarmView>;

export const AlarmList = Type.Object({ items: Type.Array(AlarmView) });

export const AlarmListQuery = Type.Object(
  {
    ...ProjectQuery,
    severity: Type.Optional(Severity),
    state: Type.Optional(IsaState),
    site: Type.Optional(Type.String()),
    point: Type.Optional(Type.String()),
    includeNormal: Type.Optional(
      Type.Boolean({ description: 'also alarms that are cleared and acknowledged' }),
    ),
  },
  { additionalProperties: false },
);

export const AlarmParams = Type.Object({ id: Type.String({ minLength: 1 }) });

export const AckBody = Type.Object(
  { comment: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
  { additionalProperties: false },
);

export const ShelveBody = Type.Object(
  {
    until: Type.Optional(Type.Integer({ description: 'ms epoch when the shelving ends' })),
    durationMs: Type.Optional(Type.Integer({ minimum: 1, description: 'or: how long from now' })),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const CommentBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const ServiceBody = Type.Object(
  { outOfService: Type.Boolean(), reason: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const HistoryQuery = Type.Object(
  {
    ...ProjectQuery,
    alarm: Type.Optional(Type.String()),
    point: Type.Optional(Type.String()),
    kind: Type.Optional(AlarmEventKind),
    from: Type.Optional(Type.Integer()),
    to: Type.Optional(Type.Integer()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    cursor: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const HistoryPage = Type.Object({
  entries: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      alarm: Type.String(),
      project: Type.String(),
      point: Type.String(),
      kind: Type.String(),
      at: Type.Integer(),
      event: Type.Unknown({ description: 'the AlarmEvent' }),
    }),
  ),
  next: Type.Optional(Type.String({ description: 'cursor of the next (older) page' })),
});

export const RuleView = Type.Object({
  rule: AlarmRule,
  revision: Type.Integer(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
export type RuleView = Static<typeof RuleView>;

export const RuleList = Type.Object({ items: Type.Array(RuleView) });

export const RuleListQuery = Type.Object(
  { ...ProjectQuery, point: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

export const CreateRuleBody = Type.Object(
  { ...AlarmRule.properties, project: Type.Optional(Type.String({ minLength: 1 })) },
  { additionalProperties: false },
);

export const UpdateRuleBody = Type.Object(
  {
    ...AlarmRule.properties,
    id: Type.Optional(AlarmRule.properties.id),
    project: Type.Optional(Type.String({ minLength: 1 })),
    revision: Type.Integer({ minimum: 1, description: 'the revision the change is based on' }),
  },
  { additionalProperties: false },
);

export const DeleteRuleQuery = Type.Object(
  { revision: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);

export const RuleSetParams = Type.Object({ set: Type.String() });

export const LoadRuleSetBody = Type.Object(
  {
    project: Type.Optional(Type.String({ minLength: 1 })),
    mapping: Type.Array(RoleMapping, { minItems: 1, maxItems: 10_000 }),
    profile: Type.Optional(RuleSetProfile),
    keepExisting: Type.Optional(
      Type.Boolean({
        description: 'leave rules that exist already as they are (default: refresh them from the set)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const LoadRuleSetReply = Type.Object({
  created: Type.Array(Type.String()),
  updated: Type.Array(Type.String()),
  kept: Type.Array(Type.String()),
});
