import { Type, type Static } from 'typebox';
import { SimErrors } from '../errors.js';

/** `90`, `'90s'`, `'15m'`, `'2h'`, `'1h30m'`, `'1d6h'`: simulated seconds. */
export const Duration = Type.Union(
  [Type.Number({ minimum: 0 }), Type.String({ pattern: '^(\\d+(\\.\\d+)?[dhms])+$' })],
  {
    description: 'simulated time: seconds, or a string like 90s, 15m, 2h, 1h30m, 1d6h',
  },
);

const timing = {
  after: Duration,
  duration: Type.Optional(Duration),
  network: Type.Optional(
    Type.String({ description: 'network the element is in; default: the first plant’s' }),
  ),
  note: Type.Optional(Type.String()),
};

/** A burst or background leak at a junction: an emitter losing `flow` m³/h at the junction's pressure. */
export const LeakEvent = Type.Object(
  {
    kind: Type.Literal('leak'),
    node: Type.String(),
    flow: Type.Number({ exclusiveMinimum: 0, description: 'm³/h' }),
    ...timing,
  },
  { additionalProperties: false },
);

/** A pump trip: the pump stops (and is held off, out of automatic) for `duration`, then returns to automatic. */
export const PumpTripEvent = Type.Object(
  { kind: Type.Literal('pump-trip'), link: Type.String(), ...timing },
  { additionalProperties: false },
);

const plantTiming = {
  after: Duration,
  duration: Type.Optional(Duration),
  note: Type.Optional(Type.String()),
};

/**
 * An instrument failing: `stuck` holds its last reading, `spike` adds `magnitude` to one reading,
 * `drift` adds `magnitude` per simulated hour, `dropout` reads NaN (a 4–20 mA loop below 3.6 mA);
 * until `duration` ends (a spike is one sample whatever the duration).
 */
export const SensorFaultEvent = Type.Object(
  {
    kind: Type.Literal('sensor-fault'),
    plant: Type.String(),
    tag: Type.String(),
    fault: Type.Union([
      Type.Literal('stuck'),
      Type.Literal('spike'),
      Type.Literal('drift'),
      Type.Literal('dropout'),
    ]),
    magnitude: Type.Optional(
      Type.Number({ description: "spike size, or drift per hour, in the point's unit" }),
    ),
    ...plantTiming,
  },
  { additionalProperties: false },
);

/** A plant's PLC stops answering on its protocol (its server goes away) until `duration` ends. */
export const CommOutageEvent = Type.Object(
  { kind: Type.Literal('comm-outage'), plant: Type.String(), ...plantTiming },
  { additionalProperties: false },
);

/**
 * A plant's chlorine dosing fails: its dosing pumps stop (rate 0, fault set) and its chlorine
 * readings fall toward `residual` mg/L (default 0) as the contact tank's dosed water is used up
 * (first order, 30 min), recovering the same way at the end.
 */
export const DosingFailureEvent = Type.Object(
  {
    kind: Type.Literal('dosing-failure'),
    plant: Type.String(),
    residual: Type.Optional(Type.Number({ minimum: 0 })),
    ...plantTiming,
  },
  { additionalProperties: false },
);

/** Raw-water turbidity breaks through: a plant's turbidity readings rise by up to `peak` NTU and settle. */
export const TurbidityExcursionEvent = Type.Object(
  {
    kind: Type.Literal('turbidity-excursion'),
    plant: Type.String(),
    peak: Type.Number({ exclusiveMinimum: 0, description: 'NTU added at the height of the excursion' }),
    ...plantTiming,
  },
  { additionalProperties: false },
);

export const ScenarioEvent = Type.Union([
  LeakEvent,
  PumpTripEvent,
  SensorFaultEvent,
  CommOutageEvent,
  DosingFailureEvent,
  TurbidityExcursionEvent,
]);
export type ScenarioEvent = Static<typeof ScenarioEvent>;

/** Parses a Duration into seconds. */
export function durationSeconds(d: number | string): number {
  if (typeof d === 'number') return d;
  const unit: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };
  let total = 0;
  let rest = d;
  const part = /^(\d+(?:\.\d+)?)([dhms])/;
  while (rest.length > 0) {
    const m = part.exec(rest);
    if (!m) throw SimErrors.BAD_TIME.create([d]);
    total += Number(m[1]) * (unit[m[2]!] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return total;
}
