/**
 * Tag addresses of the IEC 104 driver: `<type>:<ioa>[:sbo]`.
 *
 *   M_ME_NC_1:16385        a short-float measured value at IOA 16385 (time-tagged M_ME_TF_1 data
 *                          for the same IOA is accepted: the tag names the value, not the framing)
 *   M_SP_NA_1:1001         a single point
 *   C_SC_NA_1:24577:sbo    a single command sent select-before-operate
 *   C_SE_NC_1:25089        a short-float set-point, direct execute
 *
 * The IOA is decimal (0…16777215), the 3-octet address of IEC 60870-5-104 §7. Monitor types may
 * be named with or without time tag; command types are those this driver writes.
 */
import type { DataType } from '@watershed/model';
import { MAX_IOA } from './codec/asdu.js';
import { TypeId, baseType, typeIdOf, type TypeIdValue } from './codec/types.js';

export type AddressKind = 'monitor' | 'command';

export interface Iec104Address {
  kind: AddressKind;
  /** The type id as written (commands) or its untagged base type (monitor). */
  typeId: TypeIdValue;
  ioa: number;
  /** Select before operate (IEC 60870-5-101 §7.2.6.15: S/E = 1, then S/E = 0). */
  sbo: boolean;
}

const MONITOR = new Set<number>([
  TypeId.M_SP_NA_1,
  TypeId.M_DP_NA_1,
  TypeId.M_ME_NA_1,
  TypeId.M_ME_NB_1,
  TypeId.M_ME_NC_1,
  TypeId.M_IT_NA_1,
]);
const COMMAND = new Set<number>([
  TypeId.C_SC_NA_1,
  TypeId.C_DC_NA_1,
  TypeId.C_SE_NA_1,
  TypeId.C_SE_NB_1,
  TypeId.C_SE_NC_1,
]);

export type AddressResult = { ok: true; address: Iec104Address } | { ok: false; message: string };

export function parseAddress(address: string, dataType: DataType): AddressResult {
  const parts = address.trim().split(':');
  const [name, ioaText, ...options] = parts;
  const typeId = typeIdOf(name ?? '');
  if (typeId === undefined) return fail(`unknown type "${name}"; expected e.g. M_ME_NC_1 or C_SC_NA_1`);
  const kind: AddressKind | undefined = MONITOR.has(baseType(typeId))
    ? 'monitor'
    : COMMAND.has(typeId)
      ? 'command'
      : undefined;
  if (!kind) return fail(`${name} is neither a monitored value nor a supported command`);
  if (!ioaText || !/^\d{1,8}$/.test(ioaText) || Number(ioaText) > MAX_IOA)
    return fail(`information object address must be a decimal number 0…${MAX_IOA}`);
  let sbo = false;
  for (const o of options) {
    if (o === 'sbo' && kind === 'command') sbo = true;
    else
      return fail(`unknown option "${o}"${o === 'sbo' ? ' (only commands can select before operate)' : ''}`);
  }
  const base = (kind === 'monitor' ? baseType(typeId) : typeId) as TypeIdValue;
  const why = checkDataType(base, dataType);
  if (why) return fail(why);
  return { ok: true, address: { kind, typeId: base, ioa: Number(ioaText), sbo } };
}

function checkDataType(typeId: number, dataType: DataType): string | undefined {
  if (dataType === 'string') return 'IEC 104 values are not strings';
  const bool = dataType === 'bool';
  switch (typeId) {
    case TypeId.M_SP_NA_1:
    case TypeId.C_SC_NA_1:
      return bool ? undefined : 'single points and single commands are bool';
    case TypeId.M_DP_NA_1:
    case TypeId.C_DC_NA_1:
      // bool maps ON/OFF; a number carries the raw DPI/DCS 0…3.
      return undefined;
    default:
      return bool ? 'measured values, totals and set-points are numbers, not bool' : undefined;
  }
}

function fail(message: string): AddressResult {
  return { ok: false, message };
}
