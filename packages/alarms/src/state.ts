import { Type, type Static } from 'typebox';
import { SampleValue, Severity } from '@watershed/model';

/**
 * The state of one alarm, after ANSI/ISA-18.2-2016 §11 (the alarm state transition diagram,
 * figure 5) and its international twin IEC 62682:2022 §11: the process condition (active or
 * cleared, "return to normal") crossed with the operator's acknowledgement, plus the states an
 * alarm leaves the operator's list through — shelved (§16.3, always with an expiry) and out of
 * service (§16.4, for maintenance). An alarm is one per rule; it is "normal" when cleared and
 * acknowledged, and then drops off the active list (but keeps its history).
 */
export const AlarmComment = Type.Object(
  { at: Type.Integer(), by: Type.String(), text: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
export type AlarmComment = Static<typeof AlarmComment>;

export const Shelving = Type.Object(
  {
    by: Type.String(),
    at: Type.Integer(),
    until: Type.Integer({ description: 'ms epoch when the shelving ends by itself' }),
    reason: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type Shelving = Static<typeof Shelving>;

export const OutOfService = Type.Object(
  { by: Type.String(), at: Type.Integer(), reason: Type.Optional(Type.String()) },
  { additionalProperties: false },
);
export type OutOfService = Static<typeof OutOfService>;

export const AlarmState = Type.Object(
  {
    /** The rule's id: one alarm per rule. */
    id: Type.String(),
    project: Type.String(),
    point: Type.String(),
    name: Type.String(),
    severity: Severity,
    message: Type.String(),
    active: Type.Boolean(),
    acknowledged: Type.Boolean(),
    raisedAt: Type.Optional(Type.Integer()),
    clearedAt: Type.Optional(Type.Integer()),
    acknowledgedAt: Type.Optional(Type.Integer()),
    acknowledgedBy: Type.Optional(Type.String()),
    value: Type.Optional(SampleValue),
    /** When any of the above last changed. */
    changedAt: Type.Integer(),
    shelved: Type.Optional(Shelving),
    outOfService: Type.Optional(OutOfService),
    /** The latest comments, newest last (all of them are in the history). */
    comments: Type.Array(AlarmComment),
  },
  { additionalProperties: false },
);
export type AlarmState = Static<typeof AlarmState>;

/** The ISA-18.2 figure 5 state an operator sees. */
export const IsaState = Type.Union([
  Type.Literal('normal'),
  Type.Literal('unack-active'),
  Type.Literal('ack-active'),
  Type.Literal('unack-cleared'),
  Type.Literal('shelved'),
  Type.Literal('out-of-service'),
]);
export type IsaState = Static<typeof IsaState>;

export function isaState(s: AlarmState): IsaState {
  if (s.outOfService) return 'out-of-service';
  if (s.shelved) return 'shelved';
  if (s.active) return s.acknowledged ? 'ack-active' : 'unack-active';
  return s.acknowledged ? 'normal' : 'unack-cleared';
}

export const AlarmEventKind = Type.Union([
  Type.Literal('raised'),
  Type.Literal('cleared'),
  Type.Literal('acknowledged'),
  Type.Literal('shelved'),
  Type.Literal('unshelved'),
  Type.Literal('commented'),
  Type.Literal('removed-from-service'),
  Type.Literal('returned-to-service'),
  Type.Literal('deleted'),
]);
export type AlarmEventKind = Static<typeof AlarmEventKind>;

/** One history entry: what happened to an alarm, when, by whom, and the state it left. */
export const AlarmEvent = Type.Object(
  {
    alarm: Type.String(),
    project: Type.String(),
    point: Type.String(),
    kind: AlarmEventKind,
    at: Type.Integer(),
    severity: Severity,
    state: IsaState,
    value: Type.Optional(SampleValue),
    by: Type.Optional(Type.String({ description: 'the operator, or system:<why>' })),
    comment: Type.Optional(Type.String()),
    until: Type.Optional(Type.Integer({ description: 'shelving expiry' })),
    /** False while shelved or out of service: recorded, but nobody is called (ISA-18.2 §16.3). */
    announce: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type AlarmEvent = Static<typeof AlarmEvent>;

/** How many comments the state keeps; older ones live in the history only. */
export const STATE_COMMENTS = 20;
