import type { PlantPoint } from '../plants/plant.js';
import type { Overlay } from '../plants/plant-runtime.js';
import { durationSeconds, type ScenarioEvent } from './events.js';

/** What the scenario runner may do to the simulator's plants. */
export interface PlantTargets {
  /** The district (hydraulic run key) of a plant; undefined when there is no such plant. */
  districtOf(plant: string): string | undefined;
  point(plant: string, tag: string): PlantPoint | undefined;
  tags(plant: string): readonly string[];
  overlay(plant: string, tag: string, overlay: Overlay | undefined): void;
  /** Takes the plant's protocol server down (true) or brings it back (false). */
  outage(plant: string, down: boolean): void;
}

export type PlantEvent = Extract<ScenarioEvent, { plant: string }>;

/** Tags a plant event acts on. */
export function eventTags(event: PlantEvent, targets: PlantTargets): string[] {
  switch (event.kind) {
    case 'sensor-fault':
      return [event.tag];
    case 'turbidity-excursion':
      return targets.tags(event.plant).filter((t) => t.endsWith('_TURB'));
    case 'dosing-failure':
      return targets
        .tags(event.plant)
        .filter((t) => /^D\d+_(RATE|PUMP_RUN|FAULT)$/.test(t) || t.endsWith('_CL'));
    case 'comm-outage':
      return [];
  }
}

/** Time constant of a contact tank's chlorine running down (or back up) after dosing changes, s. */
const CONTACT_TAU_S = 1800;

/** Default length of an excursion without a duration: raw-water events last hours. */
const EXCURSION_S = 6 * 3600;

/**
 * The overlay a fault or excursion lays over one point, starting at simulated time `t0`.
 * Stuck holds the first reading it sees; a spike is one sample; drift grows per hour; a dropout
 * reads NaN on float points (a bool or counter keeps its last good value: it has no NaN).
 */
export function overlayFor(event: PlantEvent, point: PlantPoint, t0: number): Overlay | undefined {
  const numeric = point.dataType === 'float' || point.dataType === 'double';
  switch (event.kind) {
    case 'sensor-fault': {
      const magnitude = event.magnitude ?? 0;
      switch (event.fault) {
        case 'stuck': {
          let held: number | boolean | undefined;
          return (v) => (held ??= v);
        }
        case 'spike': {
          let first: number | undefined;
          return (v, _t, n) => {
            first ??= n;
            return n === first && typeof v === 'number' ? v + magnitude : v;
          };
        }
        case 'drift':
          return (v, t) => (typeof v === 'number' ? v + (magnitude * Math.max(0, t - t0)) / 3600 : v);
        case 'dropout': {
          let last: number | boolean | undefined;
          return (v) => (numeric ? NaN : (last ??= v));
        }
      }
      return undefined;
    }
    case 'turbidity-excursion': {
      const length =
        event.duration !== undefined ? Math.max(1, durationSeconds(event.duration)) : EXCURSION_S;
      return (v, t) => {
        if (typeof v !== 'number') return v;
        // Rises over the first fifth, then settles exponentially: a raw-water breakthrough.
        const x = Math.max(0, t - t0) / length;
        const shape = x < 0.2 ? x / 0.2 : Math.exp(-3 * (x - 0.2));
        return v + event.peak * shape;
      };
    }
    case 'dosing-failure': {
      const tag = point.tag;
      if (tag.endsWith('_RATE')) return () => 0;
      if (tag.endsWith('_PUMP_RUN')) return () => false;
      if (tag.endsWith('_FAULT')) return () => true;
      const residual = event.residual ?? 0;
      return (v, t) => {
        if (typeof v !== 'number') return v;
        const k = Math.exp(-Math.max(0, t - t0) / CONTACT_TAU_S);
        return Math.min(v, residual + (v - residual) * k);
      };
    }
    case 'comm-outage':
      return undefined;
  }
}
