/**
 * Read coalescing: turns a list of tag addresses into as few read requests as the protocol and
 * the device allow. Tags of the same unit and area are sorted by address and merged while the
 * merged span stays within the per-request limit and the hole between them is at most `maxGap`
 * registers (or bits). Reading a hole costs a few bytes; a device that rejects unmapped addresses
 * answers exception 2 for the whole block, which is why the default gap is 0 (Neuron does the same).
 */
import type { Area, ModbusAddress } from './address.js';
import { LIMITS } from './codec/pdu.js';

export interface PlanOptions {
  /** Registers per FC 3/4 request, 1..125 (Application Protocol V1.1b3 §6.3, §6.4). */
  maxRegisters?: number;
  /** Bits per FC 1/2 request, 1..2000 (§6.1, §6.2). */
  maxBits?: number;
  /** Largest run of unrequested registers/bits a request may read across to join two tags. */
  maxGap?: number;
}

export interface ReadBlock {
  readonly unitId: number;
  readonly area: Area;
  /** 0-based first address. */
  readonly address: number;
  readonly count: number;
  /** Indexes (into the planned list) of the tags this block serves. */
  readonly members: readonly number[];
}

export function planReads(addresses: readonly ModbusAddress[], options: PlanOptions = {}): ReadBlock[] {
  const maxRegisters = clamp(options.maxRegisters ?? LIMITS.readRegisters, 1, LIMITS.readRegisters);
  const maxBits = clamp(options.maxBits ?? LIMITS.readBits, 1, LIMITS.readBits);
  const maxGap = Math.max(0, options.maxGap ?? 0);

  const order = addresses.map((_, i) => i);
  order.sort((i, j) => {
    const a = addresses[i]!;
    const b = addresses[j]!;
    return a.unitId - b.unitId || a.area.localeCompare(b.area) || a.address - b.address || b.count - a.count;
  });

  const blocks: ReadBlock[] = [];
  let cur: { unitId: number; area: Area; address: number; end: number; members: number[] } | undefined;
  for (const i of order) {
    const a = addresses[i]!;
    const limit = a.area === 'coils' || a.area === 'discreteInputs' ? maxBits : maxRegisters;
    const end = a.address + a.count;
    if (
      cur &&
      cur.unitId === a.unitId &&
      cur.area === a.area &&
      a.address <= cur.end + maxGap &&
      Math.max(cur.end, end) - cur.address <= limit
    ) {
      cur.end = Math.max(cur.end, end);
      cur.members.push(i);
      continue;
    }
    if (cur) blocks.push(finish(cur));
    cur = { unitId: a.unitId, area: a.area, address: a.address, end, members: [i] };
  }
  if (cur) blocks.push(finish(cur));
  return blocks;
}

function finish(c: {
  unitId: number;
  area: Area;
  address: number;
  end: number;
  members: number[];
}): ReadBlock {
  return { unitId: c.unitId, area: c.area, address: c.address, count: c.end - c.address, members: c.members };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.floor(v)));
}
