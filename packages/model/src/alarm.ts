import { Type, type Static } from 'typebox';

export const Severity = Type.Union([
  Type.Literal('critical'),
  Type.Literal('major'),
  Type.Literal('minor'),
  Type.Literal('warning'),
]);
export type Severity = Static<typeof Severity>;

/** ISA-18.2 style: active/cleared crossed with acknowledged/unacknowledged. */
export const Alarm = Type.Object(
  {
    id: Type.String(),
    point: Type.Optional(Type.String({ description: 'point id the alarm is raised on' })),
    source: Type.String({ description: 'rule or subsystem that raised it' }),
    severity: Severity,
    message: Type.String(),
    active: Type.Boolean(),
    acknowledged: Type.Boolean(),
    raisedAt: Type.Integer(),
    clearedAt: Type.Optional(Type.Integer()),
    acknowledgedAt: Type.Optional(Type.Integer()),
    acknowledgedBy: Type.Optional(Type.String()),
    value: Type.Optional(Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()])),
  },
  { additionalProperties: false },
);
export type Alarm = Static<typeof Alarm>;
