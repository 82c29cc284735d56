import type { BoundMeasure } from '../hydraulics/measure.js';
import type { HydraulicRun } from '../hydraulics/run.js';
import { Sensor } from '../signal/sensor.js';
import type { PlantDefinition, PlantPoint, SharedState } from './plant.js';

export type PointValue = number | boolean;

/** A change laid over a point's reading (a sensor fault, an excursion): reading in, reading out. */
export type Overlay = (reading: PointValue, t: number, n: number) => PointValue;

interface Reader {
  readonly point: PlantPoint;
  read(t: number, n: number): PointValue;
}

/**
 * A plant bound to the hydraulic run of its network: turns the model's state at a time into
 * the readings its instruments would give. Readings are what is served, so they are already
 * in the representation of the point's data type (a float point's value is a float32 number).
 */
export class PlantRuntime {
  readonly definition: PlantDefinition;
  readonly #readers: Reader[];
  readonly #held = new Map<string, PointValue>();
  readonly #overlays = new Map<string, Overlay>();
  readonly #current: Record<string, PointValue> = {};

  constructor(definition: PlantDefinition, run: HydraulicRun, seed: number) {
    this.definition = definition;
    const instances = new Map<object, unknown>();
    const shared: SharedState = <T>(key: object, make: () => T): T => {
      if (!instances.has(key)) instances.set(key, make());
      return instances.get(key) as T;
    };
    this.#readers = definition.points.map((point) => {
      const source = point.source;
      const noiseKey = definition.noiseScope ? `${definition.noiseScope}.${point.tag}` : point.tag;
      if ('held' in source) {
        this.#held.set(point.tag, source.held);
        const command = point.command;
        if (command?.kind === 'pump-run') {
          // While its pump is in automatic, a run command shows what the automatic did, so
          // switching to manual leaves the pump as it is.
          const status = run.bind({ link: command.link, quantity: 'status' });
          const auto = definition.points.find(
            (p) => p.command?.kind === 'auto' && p.command.link === command.link,
          );
          return {
            point,
            read: (t) => {
              if (auto === undefined || this.#held.get(auto.tag) === true)
                this.#held.set(point.tag, run.valueAt(status, t) >= 0.5);
              return represent(point, this.#held.get(point.tag) ?? source.held);
            },
          };
        }
        return { point, read: () => represent(point, this.#held.get(point.tag) ?? source.held) };
      }
      const sensor = new Sensor(point.sensor ?? {}, seed, noiseKey);
      if ('derived' in source) {
        const inputs = source.derived.inputs.map((m) => run.bind(m));
        const values = new Float64Array(inputs.length);
        const model = source.derived.model(shared);
        return {
          point,
          read: (t, n) => {
            for (let k = 0; k < inputs.length; k++) values[k] = run.valueAt(inputs[k]!, t);
            return represent(point, sensor.read(model(values, t), n));
          },
        };
      }
      const bound: BoundMeasure = run.bind(source);
      return { point, read: (t, n) => represent(point, sensor.read(run.valueAt(bound, t), n)) };
    });
  }

  /**
   * Computes every reading at simulated time `t` for sample number `n` and keeps them as current.
   * The record returned is the runtime's own and is overwritten by the next sample: copy what you
   * keep. One record per plant, updated in place, because a fresh one per tick lives exactly one
   * tick — long enough to be promoted to V8's old space, where 31,000 readings a second of such
   * garbage grew the `up` process's heap by hundreds of MB between full collections.
   */
  sample(t: number, n: number): Readonly<Record<string, PointValue>> {
    const out = this.#current;
    if (this.#overlays.size === 0) {
      for (const r of this.#readers) out[r.point.tag] = r.read(t, n);
    } else {
      for (const r of this.#readers) {
        const overlay = this.#overlays.get(r.point.tag);
        const v = r.read(t, n);
        out[r.point.tag] = overlay ? represent(r.point, overlay(v, t, n)) : v;
      }
    }
    return out;
  }

  /** Lays `overlay` over a point's readings from the next sample on; `undefined` removes it. */
  setOverlay(tag: string, overlay: Overlay | undefined): void {
    if (overlay) this.#overlays.set(tag, overlay);
    else this.#overlays.delete(tag);
  }

  /** The readings of the last sample, by tag. */
  current(): Record<string, PointValue> {
    return { ...this.#current };
  }

  /**
   * Records a value written to a held point (a command, mode or setpoint) once the network has
   * accepted it. A run command also takes its pump out of automatic.
   */
  hold(tag: string, value: PointValue): void {
    if (!this.#held.has(tag)) return;
    this.#held.set(tag, value);
    const command = this.definition.points.find((p) => p.tag === tag)?.command;
    if (command?.kind !== 'pump-run') return;
    for (const p of this.definition.points) {
      if (p.command?.kind === 'auto' && p.command.link === command.link) this.#held.set(p.tag, false);
    }
  }
}

/** A reading as the point's data type carries it over the wire. */
function represent(point: PlantPoint, v: PointValue): PointValue {
  switch (point.dataType) {
    case 'bool':
      return typeof v === 'boolean' ? v : v >= 0.5;
    case 'float':
      return Math.fround(Number(v));
    case 'double':
      return Number(v);
    default:
      return Math.round(Number(v));
  }
}
