/**
 * Serves one request against a register bank. Checks follow the server state diagrams of
 * Application Protocol V1.1b3 §6: an unsupported function → exception 1, a quantity out of range
 * → 3 (both found by `decodeRequest`), an address range outside the table → 2.
 */
import { decodeRequest, EXCEPTION, FC, isException, type Response } from '../codec/pdu.js';
import type { RegisterBank } from './bank.js';

export interface WriteEvent {
  unitId: number;
  area: 'coils' | 'holdingRegisters';
  /** 0-based first address written. */
  address: number;
  count: number;
}

export function serveRequest(
  bank: RegisterBank,
  unitId: number,
  pdu: Uint8Array,
  onWrite?: (e: WriteEvent) => void,
): Response {
  const req = decodeRequest(pdu);
  if (isException(req)) return req;
  const outOfRange = (table: { length: number }, count: number): boolean =>
    req.address + count > table.length;
  const illegalAddress: Response = { fc: req.fc, exception: EXCEPTION.ILLEGAL_DATA_ADDRESS };
  switch (req.fc) {
    case FC.READ_COILS:
    case FC.READ_DISCRETE_INPUTS: {
      const table = req.fc === FC.READ_COILS ? bank.coils : bank.discreteInputs;
      if (outOfRange(table, req.count)) return illegalAddress;
      return { fc: req.fc, bits: table.subarray(req.address, req.address + req.count) };
    }
    case FC.READ_HOLDING_REGISTERS:
    case FC.READ_INPUT_REGISTERS: {
      const table = req.fc === FC.READ_HOLDING_REGISTERS ? bank.holdingRegisters : bank.inputRegisters;
      if (outOfRange(table, req.count)) return illegalAddress;
      return { fc: req.fc, registers: table.subarray(req.address, req.address + req.count) };
    }
    case FC.WRITE_SINGLE_COIL:
      if (outOfRange(bank.coils, 1)) return illegalAddress;
      bank.coils[req.address] = req.value ? 1 : 0;
      onWrite?.({ unitId, area: 'coils', address: req.address, count: 1 });
      return { fc: req.fc, address: req.address, value: req.value };
    case FC.WRITE_SINGLE_REGISTER:
      if (outOfRange(bank.holdingRegisters, 1)) return illegalAddress;
      bank.holdingRegisters[req.address] = req.value;
      onWrite?.({ unitId, area: 'holdingRegisters', address: req.address, count: 1 });
      return { fc: req.fc, address: req.address, value: req.value };
    case FC.WRITE_MULTIPLE_COILS:
      if (outOfRange(bank.coils, req.values.length)) return illegalAddress;
      req.values.forEach((v, i) => (bank.coils[req.address + i] = v ? 1 : 0));
      onWrite?.({ unitId, area: 'coils', address: req.address, count: req.values.length });
      return { fc: req.fc, address: req.address, count: req.values.length };
    case FC.WRITE_MULTIPLE_REGISTERS:
      if (outOfRange(bank.holdingRegisters, req.values.length)) return illegalAddress;
      bank.holdingRegisters.set(req.values, req.address);
      onWrite?.({ unitId, area: 'holdingRegisters', address: req.address, count: req.values.length });
      return { fc: req.fc, address: req.address, count: req.values.length };
  }
}
