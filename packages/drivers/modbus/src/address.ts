/**
 * Tag addresses in the syntax of Neuron's Modbus plugins, so existing point tables carry over:
 *
 *   SLAVE!AREA ADDRESS[.BIT | .LEN[H|L|D|E]][#ORDER]
 *
 *   1!000001       coil 1                       (area 0: FC 1 read, FC 5/15 write)
 *   1!100001       discrete input 1             (area 1: FC 2)
 *   1!300001       input register 1             (area 3: FC 4)
 *   1!400001       holding register 1           (area 4: FC 3 read, FC 6/16 write)
 *   1!400001.15    bit 15 (MSB) of holding register 1, data type bool
 *   1!300004#BB    32/64-bit value with bytes 4,3,2,1 (see codec/values.ts)
 *   1!400010.20    string of 20 bytes, two per register, high byte first (.20H; L, D, E also)
 *
 * Register numbers in the text are 1-based (1..65536); the wire address is 0-based.
 */
import type { DataType } from '@watershed/model';
import {
  BYTE_ORDERS,
  registersFor,
  stringRegisters,
  type ByteOrder,
  type StringMode,
} from './codec/values.js';
import { LIMITS } from './codec/pdu.js';

export type Area = 'coils' | 'discreteInputs' | 'inputRegisters' | 'holdingRegisters';

export interface ModbusAddress {
  readonly unitId: number;
  readonly area: Area;
  /** 0-based wire address of the first register or bit. */
  readonly address: number;
  /** Registers (register areas) or bits (bit areas) the tag spans. */
  readonly count: number;
  readonly dataType: DataType;
  /** Bit within a register (0 = least significant), for bool tags in register areas. */
  readonly bit?: number;
  readonly order?: ByteOrder;
  readonly string?: { readonly length: number; readonly mode: StringMode };
}

const AREAS: Record<string, Area> = {
  '0': 'coils',
  '1': 'discreteInputs',
  '3': 'inputRegisters',
  '4': 'holdingRegisters',
};

const SYNTAX = /^(\d{1,3})!(\d)(\d{1,5})(?:\.(\d{1,3})([HLDE])?)?(?:#([A-Z]{1,2}))?$/;

export type ParseResult = { ok: true; address: ModbusAddress } | { ok: false; message: string };

export function parseAddress(text: string, dataType: DataType): ParseResult {
  const fail = (message: string): ParseResult => ({ ok: false, message });
  const m = SYNTAX.exec(text);
  if (!m)
    return fail('expected SLAVE!AREA_ADDRESS[.BIT|.LEN][#ORDER], e.g. 1!400001, 1!400001.15, 1!300004#BB');
  const [, slaveText, areaDigit, regText, dotText, modeText, orderText] = m;
  const unitId = Number(slaveText);
  if (unitId > 255) return fail(`slave ${unitId} is outside 0..255`);
  const area = AREAS[areaDigit!];
  if (!area)
    return fail(
      `area ${areaDigit} is not 0 (coil), 1 (discrete input), 3 (input register) or 4 (holding register)`,
    );
  const register = Number(regText);
  if (register < 1 || register > 65536)
    return fail(`register ${register} is outside 1..65536 (addresses are 1-based)`);
  const address = register - 1;
  const dot = dotText === undefined ? undefined : Number(dotText);
  const order = orderText as ByteOrder | undefined;
  if (order !== undefined && !BYTE_ORDERS.includes(order))
    return fail(`byte order #${order} is not one of #L #B (16-bit) or #LL #LB #BL #BB (32/64-bit)`);

  const bitArea = area === 'coils' || area === 'discreteInputs';
  let result: ModbusAddress;
  if (bitArea) {
    if (dataType !== 'bool')
      return fail(`${area} hold single bits: the data type must be bool, not ${dataType}`);
    if (dot !== undefined || order !== undefined) return fail(`${area} take no .BIT, .LEN or #ORDER`);
    result = { unitId, area, address, count: 1, dataType };
  } else if (dataType === 'bool') {
    // Neuron reads bit 0 when a register bit tag names no bit; keep that for compatibility.
    const bit = dot ?? 0;
    if (bit > 15 || modeText !== undefined)
      return fail(`.BIT must be 0..15 for a bit in a register, got .${dotText}${modeText ?? ''}`);
    if (order !== undefined) return fail('a register bit takes no #ORDER');
    result = { unitId, area, address, count: 1, dataType, bit };
  } else if (dataType === 'string') {
    if (dot === undefined || dot < 1)
      return fail('a string needs its length in bytes: .LEN[H|L|D|E], e.g. 1!400010.20');
    if (order !== undefined)
      return fail('a string takes a layout letter after .LEN (H, L, D, E), not #ORDER');
    const mode = (modeText ?? 'H') as StringMode;
    const count = stringRegisters(dot, mode);
    if (count > LIMITS.readRegisters)
      return fail(
        `a ${dot}-byte string needs ${count} registers; one read carries at most ${LIMITS.readRegisters}`,
      );
    result = { unitId, area, address, count, dataType, string: { length: dot, mode } };
  } else {
    if (dot !== undefined)
      return fail(`.${dotText} applies only to bool (bit) and string tags, not ${dataType}`);
    const count = registersFor(dataType);
    if (order !== undefined) {
      const wide = order.length === 2;
      if (count === 1 && wide) return fail(`${dataType} is 16-bit: use #L or #B, not #${order}`);
      if (count > 1 && !wide)
        return fail(`${dataType} spans ${count} registers: use #LL, #LB, #BL or #BB, not #${order}`);
    }
    result =
      order === undefined
        ? { unitId, area, address, count, dataType }
        : { unitId, area, address, count, dataType, order };
  }
  if (result.address + result.count > 65536)
    return fail(`${dataType} at register ${register} runs past register 65536`);
  return { ok: true, address: result };
}

/** Why a tag cannot be written, or undefined when it can (FC 5/15 coils, FC 6/16 holding registers). */
export function whyNotWritable(a: ModbusAddress): string | undefined {
  if (a.area === 'discreteInputs' || a.area === 'inputRegisters') return `${a.area} are read-only`;
  // A single bit of a register would need read-modify-write, which races with the PLC's own logic.
  if (a.bit !== undefined) return 'a bit inside a register cannot be written atomically';
  return undefined;
}
