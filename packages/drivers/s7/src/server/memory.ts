/**
 * The memory of a simulated S7 CPU: data blocks by number and the I, Q and M areas, each a
 * fixed-size byte array. Reads and writes outside them give the return codes a CPU gives
 * (S7comm return codes: 0x0A object does not exist, 0x05 address out of range).
 */
import { AREA, RETURN_OK, type VarSpec } from '../codec/s7comm.js';

export const RC_NO_OBJECT = 0x0a;
export const RC_ACCESS_DENIED = 0x03;
export const RC_OUT_OF_RANGE = 0x05;
export const RC_TYPE_NOT_SUPPORTED = 0x06;

export interface S7Memory {
  readonly db: Map<number, Uint8Array>;
  readonly i: Uint8Array;
  readonly q: Uint8Array;
  readonly m: Uint8Array;
}

export function createMemory(sizes: { i?: number; q?: number; m?: number } = {}): S7Memory {
  return {
    db: new Map(),
    i: new Uint8Array(sizes.i ?? 256),
    q: new Uint8Array(sizes.q ?? 256),
    m: new Uint8Array(sizes.m ?? 256),
  };
}

function areaOf(mem: S7Memory, spec: VarSpec): Uint8Array | undefined {
  switch (spec.area) {
    case AREA.DB:
      return mem.db.get(spec.db);
    case AREA.I:
      return mem.i;
    case AREA.Q:
      return mem.q;
    case AREA.M:
      return mem.m;
    default:
      return undefined;
  }
}

/** The bytes an item names, or the return code saying why not. */
export function readItem(
  mem: S7Memory,
  spec: VarSpec,
): { returnCode: number; data: Uint8Array; bit?: boolean } {
  const area = areaOf(mem, spec);
  if (!area) return { returnCode: RC_NO_OBJECT, data: new Uint8Array(0) };
  const length = spec.size === 'bit' ? 1 : spec.count;
  if (spec.start + length > area.length) return { returnCode: RC_OUT_OF_RANGE, data: new Uint8Array(0) };
  if (spec.size === 'bit')
    return { returnCode: RETURN_OK, bit: true, data: Uint8Array.of((area[spec.start]! >> spec.bit) & 1) };
  return { returnCode: RETURN_OK, data: area.slice(spec.start, spec.start + length) };
}

/** Stores an item's data; returns the item's return code. */
export function writeItem(mem: S7Memory, spec: VarSpec, data: Uint8Array): number {
  const area = areaOf(mem, spec);
  if (!area) return RC_NO_OBJECT;
  if (spec.size === 'bit') {
    if (spec.start >= area.length) return RC_OUT_OF_RANGE;
    const mask = 1 << spec.bit;
    area[spec.start] = (data[0] ?? 0) & 1 ? area[spec.start]! | mask : area[spec.start]! & ~mask;
    return RETURN_OK;
  }
  if (data.length !== spec.count) return RC_TYPE_NOT_SUPPORTED;
  if (spec.start + spec.count > area.length) return RC_OUT_OF_RANGE;
  area.set(data, spec.start);
  return RETURN_OK;
}
