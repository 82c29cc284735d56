/**
 * Tag addresses: `METERADDR:field`, e.g. `11223344556677:total`. METERADDR is the 14-digit meter
 * number as printed (A6..A0, see codec/address.ts). Every field of a meter comes from the same
 * 901FH answer, so a poll costs one request per meter whatever the number of its tags.
 */
import type { DataType } from '@watershed/model';
import { isMeterAddress, BROADCAST_ADDRESS } from './codec/address.js';

export const FIELDS = {
  /** Current cumulative flow, m³ (L converted). */
  total: { types: ['double', 'float'], writable: false },
  /** Cumulative flow at the last settlement date, m³. */
  settlement_total: { types: ['double', 'float'], writable: false },
  /** The meter's clock, ISO-8601 local time without a zone. */
  meter_time: { types: ['string'], writable: false },
  /** Valve open (ST D1D0 = 00); writable: A017H open/close. */
  valve_open: { types: ['bool'], writable: true },
  /** Battery low (ST D2). */
  battery_low: { types: ['bool'], writable: false },
  /** Both ST bytes, byte 0 in the low 8 bits. */
  status: { types: ['uint16', 'uint32', 'int32'], writable: false },
} as const satisfies Record<string, { types: readonly DataType[]; writable: boolean }>;

export type Field = keyof typeof FIELDS;

export interface MeterAddress {
  readonly meter: string;
  readonly field: Field;
}

export type ParsedAddress = { ok: true; address: MeterAddress } | { ok: false; message: string };

export function parseAddress(text: string, dataType: DataType): ParsedAddress {
  const m = /^([0-9A-Za-z]+):([a-z_]+)$/.exec(text.trim());
  if (!m) return { ok: false, message: 'expected METERADDR:field, e.g. 11223344556677:total' };
  const meter = (m[1] ?? '').toUpperCase();
  const field = m[2] ?? '';
  if (!isMeterAddress(meter) || meter === BROADCAST_ADDRESS)
    return { ok: false, message: `meter address "${m[1]}" is not 14 decimal digits` };
  if (!Object.hasOwn(FIELDS, field))
    return { ok: false, message: `unknown field "${field}" (fields: ${Object.keys(FIELDS).join(', ')})` };
  const spec = FIELDS[field as Field];
  if (!(spec.types as readonly DataType[]).includes(dataType))
    return { ok: false, message: `field ${field} is ${spec.types.join(' or ')}, not ${dataType}` };
  return { ok: true, address: { meter, field: field as Field } };
}
