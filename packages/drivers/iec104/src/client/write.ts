/**
 * Command objects for a written value: single commands take a bool (SCS, IEC 60870-5-101
 * §7.2.6.15), double commands a bool (ON = 2, OFF = 1) or the DCS 1/2 itself (§7.2.6.16; 0 and 3
 * are "not permitted"), set-points a number in the range of their type (§7.2.6.6–.8).
 */
import type { SampleValue } from '@watershed/model';
import type { Iec104Address } from '../address.js';
import type { InfoObject } from '../codec/elements.js';
import { TypeId } from '../codec/types.js';
import { Iec104Errors } from '../errors.js';

export function commandObject(
  address: string,
  a: Iec104Address,
  value: SampleValue,
  select: boolean,
): InfoObject {
  const bad = (why: string) => Iec104Errors.WRITE_VALUE.create([JSON.stringify(value), address, why]);
  const o = (v: number | boolean): InfoObject => ({ ioa: a.ioa, value: v, select, qualifier: 0 });
  switch (a.typeId) {
    case TypeId.C_SC_NA_1:
      if (typeof value === 'boolean') return o(value);
      if (value === 0 || value === 1) return o(value === 1);
      throw bad('a single command takes true/false');
    case TypeId.C_DC_NA_1:
      if (typeof value === 'boolean') return o(value ? 2 : 1);
      if (value === 1 || value === 2) return o(value);
      throw bad('a double command takes true/false or DCS 1 (OFF) / 2 (ON)');
    case TypeId.C_SE_NA_1:
      if (typeof value === 'number' && value >= -1 && value < 1) return o(value);
      throw bad('a normalised set-point is a number in −1 … +1−2⁻¹⁵');
    case TypeId.C_SE_NB_1:
      if (typeof value === 'number' && Number.isInteger(value) && value >= -32768 && value <= 32767)
        return o(value);
      throw bad('a scaled set-point is an integer in −32768 … 32767');
    case TypeId.C_SE_NC_1:
      if (typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 3.4028234663852886e38)
        return o(value);
      throw bad('a short-float set-point is a finite number');
    default:
      throw Iec104Errors.ADDRESS.create([address, 'not a command type; only C_… addresses can be written']);
  }
}
