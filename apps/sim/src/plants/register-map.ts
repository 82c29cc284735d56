import {
  decodeNumber,
  encodeValue,
  parseAddress,
  writeRegisters,
  type Area,
  type ModbusAddress,
  type RegisterBank,
} from '@watershed/driver-modbus';
import { isName, type DataType } from '@watershed/model';
import { SimErrors } from '../errors.js';
import type { PlantDefinition, PlantPoint } from './plant.js';

/** A point with its parsed Modbus address. */
export interface MappedPoint {
  readonly point: PlantPoint;
  readonly address: ModbusAddress;
}

/**
 * Parses every point's address with the driver's own parser (so the simulator and the gateway
 * read the table the same way) and checks the table: tag names unique and valid, all points on
 * the plant's unit, no two points sharing a bit or register, writable points only in the
 * writable areas (coils, holding registers; Application Protocol V1.1b3 §4.3).
 */
export function mapPlant(plant: PlantDefinition): MappedPoint[] {
  const bad = (why: string): never => {
    throw SimErrors.PLANT_INVALID.create([plant.id, why]);
  };
  const seen = new Set<string>();
  const used = new Map<Area, Map<number, string>>();
  return plant.points.map((point) => {
    if (!isName(point.tag)) bad(`tag name "${point.tag}" is not letters, digits, "_" or "-"`);
    if (seen.has(point.tag)) bad(`tag "${point.tag}" appears twice`);
    seen.add(point.tag);
    const parsed = parseAddress(point.address, point.dataType);
    if (!parsed.ok) return bad(`tag ${point.tag}: address ${point.address}: ${parsed.message}`);
    const address = parsed.address;
    if (address.unitId !== plant.unitId)
      bad(`tag ${point.tag} is on unit ${address.unitId}, the plant on ${plant.unitId}`);
    const registers = address.area === 'inputRegisters' || address.area === 'holdingRegisters';
    if (registers && (point.dataType === 'bool' || point.dataType === 'string'))
      bad(`tag ${point.tag}: only numbers are served from registers, not ${point.dataType}`);
    const writableArea = address.area === 'coils' || address.area === 'holdingRegisters';
    if (point.writable !== writableArea)
      bad(`tag ${point.tag}: writable=${point.writable} does not fit area ${address.area}`);
    if (point.writable && !point.command) bad(`tag ${point.tag} is writable but has no command`);
    const table = used.get(address.area) ?? new Map<number, string>();
    used.set(address.area, table);
    for (let a = address.address; a < address.address + address.count; a++) {
      const other = table.get(a);
      if (other !== undefined) bad(`tags ${other} and ${point.tag} overlap at ${address.area} ${a}`);
      table.set(a, point.tag);
    }
    return { point, address };
  });
}

/** Writes one value into the bank at the point's address. */
export function storeValue(bank: RegisterBank, m: MappedPoint, value: number | boolean): void {
  const a = m.address;
  switch (a.area) {
    case 'coils':
      bank.coils[a.address] = value === true || value === 1 ? 1 : 0;
      return;
    case 'discreteInputs':
      bank.discreteInputs[a.address] = value === true || value === 1 ? 1 : 0;
      return;
    case 'inputRegisters':
    case 'holdingRegisters': {
      const area = a.area === 'inputRegisters' ? 'input' : 'holding';
      if (typeof value === 'number' && Number.isNaN(value)) {
        // A dropped-out transmitter: the driver's codec encodes no NaN, so the quiet-NaN words
        // are written here (IEEE 754 §6.2.1), high word first as in the tables' #LL order.
        const nan = NAN_WORDS[a.dataType];
        if (nan && (a.order === undefined || a.order === 'LL')) writeRegisters(bank, area, a.address, nan);
        return;
      }
      writeRegisters(bank, area, a.address, encodeValue(a.dataType, value, a.order));
    }
  }
}

const NAN_WORDS: Partial<Record<DataType, Uint16Array>> = {
  float: Uint16Array.of(0x7fc0, 0),
  double: Uint16Array.of(0x7ff8, 0, 0, 0),
};

/** Reads one value back out of the bank (what a client wrote to a coil or holding register). */
export function loadValue(bank: RegisterBank, m: MappedPoint): number | boolean {
  const a = m.address;
  switch (a.area) {
    case 'coils':
      return bank.coils[a.address] === 1;
    case 'discreteInputs':
      return bank.discreteInputs[a.address] === 1;
    case 'inputRegisters':
      return decodeNumber(numeric(a.dataType), bank.inputRegisters, a.address, a.order);
    case 'holdingRegisters':
      return decodeNumber(numeric(a.dataType), bank.holdingRegisters, a.address, a.order);
  }
}

function numeric(t: DataType): Exclude<DataType, 'string' | 'bool'> {
  if (t === 'string' || t === 'bool') throw new TypeError(`${t} is not a register number type`);
  return t;
}

/** True when a write event covers any bit or register of the point. */
export function touches(m: MappedPoint, area: Area, address: number, count: number): boolean {
  const a = m.address;
  return a.area === area && address < a.address + a.count && a.address < address + count;
}
