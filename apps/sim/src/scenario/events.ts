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

export const ScenarioEvent = Type.Union([LeakEvent, PumpTripEvent]);
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
