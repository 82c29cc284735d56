import type { DataType, Quantity } from '@watershed/model';
import type { Measure } from '../../hydraulics/measure.js';
import type { SensorSpec } from '../../signal/sensor.js';
import type { DerivedSource, PlantPoint, PointCommand } from '../plant.js';

/** A point as an equipment template describes it; the table gives it its Modbus address. */
export interface PointSpec {
  tag: string;
  dataType: DataType;
  unit?: string;
  quantity: Quantity;
  description: string;
  source: Measure | { held: number | boolean } | { derived: DerivedSource };
  sensor?: SensorSpec;
  command?: PointCommand;
}

/** Registers a value of the type takes (Modbus Application Protocol §4.3: 16-bit registers). */
function registersOf(t: DataType): number {
  switch (t) {
    case 'int16':
    case 'uint16':
      return 1;
    case 'int64':
    case 'uint64':
    case 'double':
      return 4;
    default:
      return 2;
  }
}

/**
 * The tag table of a generated station, filled equipment by equipment. Addresses follow the
 * Modbus convention of the hand-written plants (Neuron syntax, unit `unitId`): read-only bools in
 * discrete inputs, commands in coils, read-only numbers in input registers, setpoints in holding
 * registers, each area filled in the order points are added — so a table that only grows keeps
 * its addresses. The other protocols derive their own addresses from the same order.
 */
export class PointTable {
  readonly points: PlantPoint[] = [];
  readonly #unitId: number;
  readonly #next = { di: 1, coil: 1, ir: 1, hr: 1 };

  constructor(unitId: number) {
    this.#unitId = unitId;
  }

  add(spec: PointSpec): void {
    const writable = spec.command !== undefined;
    const address = this.#address(spec.dataType, writable);
    this.points.push({
      tag: spec.tag,
      address,
      dataType: spec.dataType,
      unit: spec.unit ?? '',
      quantity: spec.quantity,
      description: spec.description,
      writable,
      source: spec.source,
      ...(spec.sensor ? { sensor: spec.sensor } : {}),
      ...(spec.command ? { command: spec.command } : {}),
    });
  }

  #address(t: DataType, writable: boolean): string {
    const u = this.#unitId;
    const n = this.#next;
    if (t === 'bool') {
      const at = writable ? n.coil++ : n.di++;
      return `${u}!${writable ? 0 : 1}${String(at).padStart(5, '0')}`;
    }
    const count = registersOf(t);
    const area = writable ? 'hr' : 'ir';
    const at = n[area];
    n[area] += count;
    // Multi-register values in the driver's default word order (#LL, high word first).
    return `${u}!${writable ? 4 : 3}${String(at).padStart(5, '0')}${count > 1 ? '#LL' : ''}`;
  }
}
