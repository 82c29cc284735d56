import { DataType, Name, Quantity } from '@watershed/model';
import { Type, type Static } from 'typebox';
import type { ChlorineSetup } from '../hydraulics/chlorine.js';
import type { Measure } from '../hydraulics/measure.js';
import type { SensorSpec } from '../signal/sensor.js';

/**
 * One point a simulated plant serves, as the edge gateway's configuration needs it. The tag
 * table is the contract between the simulator and the gateway: the integrator generates the
 * gateway's Modbus tag list from it, so addresses here are stable.
 */
export const PlantTag = Type.Object(
  {
    tag: Name,
    /** Neuron Modbus syntax: `1!300001#LL` = unit 1, input register 1 (wire address 0), 32-bit order 1,2,3,4. */
    address: Type.String(),
    dataType: DataType,
    unit: Type.String(),
    quantity: Quantity,
    description: Type.String(),
    writable: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type PlantTag = Static<typeof PlantTag>;

/** What a writable point does to the network when a client writes it. */
export type PointCommand =
  /** Coil: true starts the pump, false stops it; switches the pump to manual. */
  | { kind: 'pump-run'; link: string }
  /** Coil: true hands the pump back to the model's automatic controls, false = manual. */
  | { kind: 'auto'; link: string }
  /** Holding register: relative pump speed in % (100 = nominal). */
  | { kind: 'pump-speed'; link: string }
  /** Holding register: valve setting in the model's units (pressure for PRV, flow for FCV …). */
  | { kind: 'valve-setting'; link: string };

/**
 * A tag together with where its value comes from: a measure of the hydraulic model read through
 * a sensor, or a value the plant holds itself (a setpoint or mode written by a client).
 */
export interface PlantPoint extends PlantTag {
  source: Measure | { held: number | boolean } | { derived: DerivedSource };
  sensor?: SensorSpec;
  command?: PointCommand;
}

/**
 * A reading that is not itself a quantity of the hydraulic model but follows from it: a motor's
 * current from its pump's flow and head, a bearing's temperature from the load it has carried, an
 * energy counter from the power drawn. `model` makes a fresh evaluator per plant runtime (it may
 * keep state, e.g. a thermal lag or a counter); it is called once per sample with the true
 * values of `inputs` at simulated time `t`, in time order, and returns the true value the
 * point's sensor then reads. Points of one piece of equipment share its state through `shared`:
 * one instance per runtime and key, made on first use.
 */
export interface DerivedSource {
  readonly inputs: readonly Measure[];
  readonly model: (shared: SharedState) => (inputs: Float64Array, t: number) => number;
}

/** One instance per plant runtime and key. */
export type SharedState = <T>(key: object, make: () => T) => T;

/** A plant as data: the network it sits in, its Modbus unit and its points. */
export interface PlantDefinition {
  id: string;
  site: string;
  name: string;
  /** Network model file in the networks directory, e.g. `Net3`. */
  network: string;
  /**
   * The district (one hydraulic run of `network`) the plant sits in; default: the network's name,
   * so catalog plants of the same network share one run.
   */
  district?: string;
  /**
   * When set, sensor noise streams are keyed by `${noiseScope}.${tag}` instead of the tag alone, so
   * plants built from the same templates (P1_CURRENT at every station) get independent noise.
   */
  noiseScope?: string;
  unitId: number;
  /** Chlorine set-up for a network model that does not simulate chlorine itself. */
  chlorine?: ChlorineSetup;
  points: PlantPoint[];
}

/** The public tag table of a plant, without the simulator-side bindings. */
export function tagsOf(plant: PlantDefinition): PlantTag[] {
  return plant.points.map(({ tag, address, dataType, unit, quantity, description, writable }) => ({
    tag,
    address,
    dataType,
    unit,
    quantity,
    description,
    writable,
  }));
}
