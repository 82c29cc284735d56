import { Type, type Static } from 'typebox';
import type { PlantDefinition } from '../plants/plant.js';
import { streamOf, uniform } from '../signal/prng.js';
import { Duration, durationSeconds, type ScenarioEvent } from './events.js';

export const RandomEvents = Type.Object(
  {
    perDay: Type.Number({
      minimum: 0,
      maximum: 1000,
      description: 'mean number of random events per simulated day',
    }),
    horizon: Type.Union([Duration], {
      default: '7d',
      description: 'simulated time over which they are drawn',
    }),
  },
  {
    additionalProperties: false,
    description: 'sensor faults, turbidity excursions and communication outages drawn from the seed',
  },
);
export type RandomEvents = Static<typeof RandomEvents>;

const FAULTS = ['stuck', 'spike', 'drift', 'dropout'] as const;

/**
 * Draws random plant events from the seed alone (signal/prng.ts): the same seed and plants give
 * the same events, at the same times, on every run. Evenly spread in expectation over the
 * horizon; 80 % sensor faults on analogue points, 10 % turbidity excursions (at plants with
 * turbidity points), 10 % communication outages of 5–30 min.
 */
export function drawRandomEvents(
  spec: RandomEvents,
  plants: readonly PlantDefinition[],
  seed: number,
): ScenarioEvent[] {
  const horizon = durationSeconds(spec.horizon);
  const count = Math.round((spec.perDay * horizon) / 86_400);
  const stream = streamOf('random-events');
  const u = (k: number, j: number): number => uniform(seed, stream, k * 8 + j);
  const out: ScenarioEvent[] = [];
  if (plants.length === 0) return out;
  for (let k = 0; k < count; k++) {
    const plant = plants[Math.floor(u(k, 0) * plants.length)]!;
    const after = Math.round(u(k, 1) * horizon);
    const pick = u(k, 2);
    const analogue = plant.points.filter((p) => p.dataType === 'float' && p.sensor && !p.writable);
    const turbid = analogue.filter((p) => p.tag.endsWith('_TURB'));
    const note = 'random';
    if (pick < 0.1 && turbid.length > 0) {
      out.push({
        kind: 'turbidity-excursion',
        plant: plant.id,
        peak: Math.round(1 + u(k, 3) * 40) / 10,
        after,
        note,
      });
    } else if (pick < 0.2) {
      out.push({
        kind: 'comm-outage',
        plant: plant.id,
        after,
        duration: 300 + Math.round(u(k, 3) * 1500),
        note,
      });
    } else if (analogue.length > 0) {
      const point = analogue[Math.floor(u(k, 4) * analogue.length)]!;
      const fault = FAULTS[Math.floor(u(k, 5) * FAULTS.length)]!;
      // Faults sized to the instrument: a spike of 20–100 noise steps, a drift of 2–10 per hour.
      const scale = Math.max(point.sensor?.noise ?? 0, point.sensor?.resolution ?? 0, 0.01);
      const magnitude =
        fault === 'spike'
          ? scale * (20 + 80 * u(k, 6))
          : fault === 'drift'
            ? scale * (2 + 8 * u(k, 6))
            : undefined;
      out.push({
        kind: 'sensor-fault',
        plant: plant.id,
        tag: point.tag,
        fault,
        ...(magnitude !== undefined ? { magnitude: Number(magnitude.toPrecision(3)) } : {}),
        after,
        duration: 600 + Math.round(u(k, 7) * 3 * 3600),
        note,
      });
    }
  }
  return out;
}
