import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Severity } from '@watershed/model';
import { AlarmErrors } from './errors.js';

/**
 * Alarm rules: the one definition the engine, the store, the console's forms and the OpenAPI
 * document all use. A rule watches one point and has one condition; the severity ranks it for
 * the operator (ISA-18.2 §11.3 / IEC 62682 §11.3: priority from consequence and time to respond).
 */

const Ms = (description: string) => Type.Integer({ minimum: 0, description });

/** Above `limit` (high) or below it (low); returns to normal only past the deadband. */
export const LimitCondition = Type.Object(
  {
    kind: Type.Union([Type.Literal('high'), Type.Literal('low')]),
    limit: Type.Number(),
    deadband: Type.Optional(
      Type.Number({
        minimum: 0,
        description:
          'hysteresis in engineering units: a high alarm clears below limit − deadband, a low alarm above limit + deadband',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The value moved by more than `change` within `windowMs` (sample time). */
export const RateCondition = Type.Object(
  {
    kind: Type.Literal('rate'),
    change: Type.Number({ exclusiveMinimum: 0, description: 'largest allowed change within the window' }),
    windowMs: Type.Integer({ minimum: 1 }),
    direction: Type.Optional(Type.Union([Type.Literal('rise'), Type.Literal('fall'), Type.Literal('both')])),
    deadband: Type.Optional(
      Type.Number({ minimum: 0, description: 'clears once the change is below change − deadband' }),
    ),
  },
  { additionalProperties: false },
);

/** The value has not changed (within `tolerance`) for `samples` samples or for `durationMs`. */
export const StuckCondition = Type.Object(
  {
    kind: Type.Literal('stuck'),
    samples: Type.Optional(Type.Integer({ minimum: 2 })),
    durationMs: Type.Optional(Type.Integer({ minimum: 1 })),
    tolerance: Type.Optional(Type.Number({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** No sample at all for `intervals` × `intervalMs` (engine clock time). */
export const NoDataCondition = Type.Object(
  {
    kind: Type.Literal('noData'),
    intervalMs: Type.Integer({ minimum: 1, description: 'the expected sampling interval' }),
    intervals: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

/** The source marks the value bad (or also uncertain). */
export const QualityCondition = Type.Object(
  {
    kind: Type.Literal('badQuality'),
    includeUncertain: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const AlarmCondition = Type.Union([
  LimitCondition,
  RateCondition,
  StuckCondition,
  NoDataCondition,
  QualityCondition,
]);
export type AlarmCondition = Static<typeof AlarmCondition>;
export type LimitCondition = Static<typeof LimitCondition>;
export type RateCondition = Static<typeof RateCondition>;
export type StuckCondition = Static<typeof StuckCondition>;
export type NoDataCondition = Static<typeof NoDataCondition>;
export type QualityCondition = Static<typeof QualityCondition>;

export const AlarmRule = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.:-]+$' }),
    project: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    point: Type.String({ minLength: 1, description: 'point id site.node.group.tag' }),
    severity: Severity,
    enabled: Type.Boolean(),
    condition: AlarmCondition,
    onDelayMs: Type.Optional(
      Ms('the condition must hold this long before the alarm activates (ISA-18.2 §10.5.2.3 on-delay)'),
    ),
    offDelayMs: Type.Optional(
      Ms('the condition must stay clear this long before the alarm clears (off-delay)'),
    ),
    message: Type.Optional(Type.String({ maxLength: 500 })),
    /** Where the limit comes from, e.g. `GB 5749-2022 表1 浑浊度`. */
    source: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type AlarmRule = Static<typeof AlarmRule>;

const checkRule = Compile(AlarmRule);

/** The rule if it matches the schema and makes sense; WS_ERR_ALARM_RULE_INVALID naming the path otherwise. */
export function parseAlarmRule(input: unknown): AlarmRule {
  if (!checkRule.Check(input)) {
    const first = [...checkRule.Errors(input)][0];
    const id = typeof (input as { id?: unknown })?.id === 'string' ? (input as { id: string }).id : '?';
    throw AlarmErrors.RULE_INVALID.create([
      id,
      first ? `${first.instancePath || '/'} ${first.message}` : 'invalid',
    ]);
  }
  const c = input.condition;
  if (c.kind === 'stuck' && c.samples === undefined && c.durationMs === undefined) {
    throw AlarmErrors.RULE_INVALID.create([input.id, '/condition a stuck rule needs samples or durationMs']);
  }
  if (c.kind === 'rate' && (c.deadband ?? 0) >= c.change) {
    throw AlarmErrors.RULE_INVALID.create([input.id, '/condition/deadband must be smaller than change']);
  }
  return input;
}

/** The text an operator reads when the rule raises. */
export function describeCondition(c: AlarmCondition): string {
  switch (c.kind) {
    case 'high':
      return `above ${c.limit}`;
    case 'low':
      return `below ${c.limit}`;
    case 'rate':
      return `changed by more than ${c.change} within ${c.windowMs} ms`;
    case 'stuck':
      return 'value not changing';
    case 'noData':
      return `no data for ${c.intervals} × ${c.intervalMs} ms`;
    case 'badQuality':
      return 'bad quality';
  }
}
