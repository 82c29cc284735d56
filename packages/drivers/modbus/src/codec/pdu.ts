/**
 * Modbus PDU codec: requests and responses of the eight data-access function codes, as plain
 * objects; pure bytes in, objects out. Section numbers refer to the MODBUS Application Protocol
 * Specification V1.1b3 (modbus.org, 2012). Multi-byte fields are big-endian (§4.2).
 */
import { ModbusErrors } from '../errors.js';

export const FC = {
  READ_COILS: 0x01,
  READ_DISCRETE_INPUTS: 0x02,
  READ_HOLDING_REGISTERS: 0x03,
  READ_INPUT_REGISTERS: 0x04,
  WRITE_SINGLE_COIL: 0x05,
  WRITE_SINGLE_REGISTER: 0x06,
  WRITE_MULTIPLE_COILS: 0x0f,
  WRITE_MULTIPLE_REGISTERS: 0x10,
} as const;

/** Exception codes (§7). */
export const EXCEPTION = {
  ILLEGAL_FUNCTION: 0x01,
  ILLEGAL_DATA_ADDRESS: 0x02,
  ILLEGAL_DATA_VALUE: 0x03,
  SERVER_DEVICE_FAILURE: 0x04,
  ACKNOWLEDGE: 0x05,
  SERVER_DEVICE_BUSY: 0x06,
  MEMORY_PARITY_ERROR: 0x08,
  GATEWAY_PATH_UNAVAILABLE: 0x0a,
  GATEWAY_TARGET_FAILED: 0x0b,
} as const;

const EXCEPTION_NAMES: Record<number, string> = {
  0x01: 'illegal function',
  0x02: 'illegal data address',
  0x03: 'illegal data value',
  0x04: 'server device failure',
  0x05: 'acknowledge',
  0x06: 'server device busy',
  0x08: 'memory parity error',
  0x0a: 'gateway path unavailable',
  0x0b: 'gateway target device failed to respond',
};

export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? 'unknown exception';
}

/** Quantity limits per request (§6.1–6.4, §6.11, §6.12): they keep a PDU within 253 bytes. */
export const LIMITS = {
  readBits: 2000,
  readRegisters: 125,
  writeCoils: 1968,
  writeRegisters: 123,
} as const;

export type ReadBitsFc = typeof FC.READ_COILS | typeof FC.READ_DISCRETE_INPUTS;
export type ReadRegistersFc = typeof FC.READ_HOLDING_REGISTERS | typeof FC.READ_INPUT_REGISTERS;

export type Request =
  | { fc: ReadBitsFc; address: number; count: number }
  | { fc: ReadRegistersFc; address: number; count: number }
  | { fc: typeof FC.WRITE_SINGLE_COIL; address: number; value: boolean }
  | { fc: typeof FC.WRITE_SINGLE_REGISTER; address: number; value: number }
  | { fc: typeof FC.WRITE_MULTIPLE_COILS; address: number; values: readonly boolean[] }
  | { fc: typeof FC.WRITE_MULTIPLE_REGISTERS; address: number; values: Uint16Array };

/** An exception response (§7): `fc` is the request's function code, without the 0x80 flag. */
export interface ExceptionResponse {
  fc: number;
  exception: number;
}

export type Response =
  /** `bits` holds one 0/1 per bit of the returned bytes (a multiple of 8); trim to the request's count. */
  | { fc: ReadBitsFc; bits: Uint8Array }
  | { fc: ReadRegistersFc; registers: Uint16Array }
  | { fc: typeof FC.WRITE_SINGLE_COIL; address: number; value: boolean }
  | { fc: typeof FC.WRITE_SINGLE_REGISTER; address: number; value: number }
  | {
      fc: typeof FC.WRITE_MULTIPLE_COILS | typeof FC.WRITE_MULTIPLE_REGISTERS;
      address: number;
      count: number;
    }
  | ExceptionResponse;

export function isException<T extends object>(r: T | ExceptionResponse): r is ExceptionResponse {
  return 'exception' in r;
}

// §6.5: a coil is written ON with 0xFF00 and OFF with 0x0000; any other value is illegal.
const COIL_ON = 0xff00;

export function encodeRequest(req: Request): Uint8Array {
  switch (req.fc) {
    case FC.READ_COILS:
    case FC.READ_DISCRETE_INPUTS:
    case FC.READ_HOLDING_REGISTERS:
    case FC.READ_INPUT_REGISTERS:
      return header(5, req.fc, req.address, req.count);
    case FC.WRITE_SINGLE_COIL:
      return header(5, req.fc, req.address, req.value ? COIL_ON : 0);
    case FC.WRITE_SINGLE_REGISTER:
      return header(5, req.fc, req.address, req.value & 0xffff);
    case FC.WRITE_MULTIPLE_COILS: {
      const n = req.values.length;
      const bytes = packBits(req.values);
      const out = header(6 + bytes.length, req.fc, req.address, n);
      out[5] = bytes.length;
      out.set(bytes, 6);
      return out;
    }
    case FC.WRITE_MULTIPLE_REGISTERS: {
      const n = req.values.length;
      const out = header(6 + 2 * n, req.fc, req.address, n);
      out[5] = 2 * n;
      for (let i = 0; i < n; i++) writeU16(out, 6 + 2 * i, req.values[i] ?? 0);
      return out;
    }
  }
}

/**
 * Decodes a request PDU as a server sees it. A request the server must refuse comes back as the
 * exception response to send (§6 state diagrams: unsupported code → 01, bad quantity → 03).
 */
export function decodeRequest(pdu: Uint8Array): Request | ExceptionResponse {
  const fc = pdu[0] ?? 0;
  const illegal = (exception: number): ExceptionResponse => ({ fc: fc & 0x7f, exception });
  switch (fc) {
    case FC.READ_COILS:
    case FC.READ_DISCRETE_INPUTS:
    case FC.READ_HOLDING_REGISTERS:
    case FC.READ_INPUT_REGISTERS: {
      if (pdu.length !== 5) return illegal(EXCEPTION.ILLEGAL_DATA_VALUE);
      const count = readU16(pdu, 3);
      const max = fc <= FC.READ_DISCRETE_INPUTS ? LIMITS.readBits : LIMITS.readRegisters;
      if (count < 1 || count > max) return illegal(EXCEPTION.ILLEGAL_DATA_VALUE);
      return { fc, address: readU16(pdu, 1), count } as Request;
    }
    case FC.WRITE_SINGLE_COIL: {
      if (pdu.length !== 5) return illegal(EXCEPTION.ILLEGAL_DATA_VALUE);
      const v = readU16(pdu, 3);
      if (v !== COIL_ON && v !== 0) return illegal(EXCEPTION.ILLEGAL_DATA_VALUE);
      return { fc, address: readU16(pdu, 1), value: v === COIL_ON };
    }
    case FC.WRITE_SINGLE_REGISTER:
      if (pdu.length !== 5) return illegal(EXCEPTION.ILLEGAL_DATA_VALUE);
      return { fc, address: readU16(pdu, 1), value: readU16(pdu, 3) };
    case FC.WRITE_MULTIPLE_COILS: {
      const count = pdu.length >= 6 ? readU16(pdu, 3) : 0;
      const byteCount = pdu[5] ?? -1;
      if (
        count < 1 ||
        count > LIMITS.writeCoils ||
        byteCount !== Math.ceil(count / 8) ||
        pdu.length !== 6 + byteCount
      )
        return illegal(EXCEPTION.ILLEGAL_DATA_VALUE);
      const bits = unpackBits(pdu.subarray(6), count);
      return { fc, address: readU16(pdu, 1), values: Array.from(bits, (b) => b === 1) };
    }
    case FC.WRITE_MULTIPLE_REGISTERS: {
      const count = pdu.length >= 6 ? readU16(pdu, 3) : 0;
      const byteCount = pdu[5] ?? -1;
      if (
        count < 1 ||
        count > LIMITS.writeRegisters ||
        byteCount !== 2 * count ||
        pdu.length !== 6 + byteCount
      )
        return illegal(EXCEPTION.ILLEGAL_DATA_VALUE);
      const values = new Uint16Array(count);
      for (let i = 0; i < count; i++) values[i] = readU16(pdu, 6 + 2 * i);
      return { fc, address: readU16(pdu, 1), values };
    }
    default:
      return illegal(EXCEPTION.ILLEGAL_FUNCTION);
  }
}

export function encodeResponse(res: Response): Uint8Array {
  if (isException(res)) return Uint8Array.of(res.fc | 0x80, res.exception);
  switch (res.fc) {
    case FC.READ_COILS:
    case FC.READ_DISCRETE_INPUTS: {
      const bytes = packBits(res.bits);
      const out = new Uint8Array(2 + bytes.length);
      out[0] = res.fc;
      out[1] = bytes.length;
      out.set(bytes, 2);
      return out;
    }
    case FC.READ_HOLDING_REGISTERS:
    case FC.READ_INPUT_REGISTERS: {
      const n = res.registers.length;
      const out = new Uint8Array(2 + 2 * n);
      out[0] = res.fc;
      out[1] = 2 * n;
      for (let i = 0; i < n; i++) writeU16(out, 2 + 2 * i, res.registers[i] ?? 0);
      return out;
    }
    case FC.WRITE_SINGLE_COIL:
      return header(5, res.fc, res.address, res.value ? COIL_ON : 0);
    case FC.WRITE_SINGLE_REGISTER:
      return header(5, res.fc, res.address, res.value);
    case FC.WRITE_MULTIPLE_COILS:
    case FC.WRITE_MULTIPLE_REGISTERS:
      return header(5, res.fc, res.address, res.count);
  }
}

/**
 * Decodes a response PDU and checks it answers `req` (same function, the byte count the request
 * implies, the echoed address). A response that does not fit throws WS_ERR_MODBUS_FRAME.
 */
export function decodeResponse(pdu: Uint8Array, req: Request): Response {
  const fc = pdu[0] ?? 0;
  const bad = (why: string): Error => ModbusErrors.FRAME.create([why], { fc, bytes: hex(pdu) });
  // §7: the exception flag is the function code with its high bit set, followed by one code byte.
  if (fc === (req.fc | 0x80)) {
    if (pdu.length !== 2) throw bad('exception response must be 2 bytes');
    return { fc: req.fc, exception: pdu[1] ?? 0 };
  }
  if (fc !== req.fc) throw bad(`function 0x${fc.toString(16)} does not answer 0x${req.fc.toString(16)}`);
  switch (req.fc) {
    case FC.READ_COILS:
    case FC.READ_DISCRETE_INPUTS: {
      const byteCount = pdu[1] ?? -1;
      if (byteCount !== Math.ceil(req.count / 8) || pdu.length !== 2 + byteCount)
        throw bad(`byte count ${byteCount} does not fit ${req.count} bits`);
      return { fc: req.fc, bits: unpackBits(pdu.subarray(2), byteCount * 8) };
    }
    case FC.READ_HOLDING_REGISTERS:
    case FC.READ_INPUT_REGISTERS: {
      const byteCount = pdu[1] ?? -1;
      if (byteCount !== 2 * req.count || pdu.length !== 2 + byteCount)
        throw bad(`byte count ${byteCount} does not fit ${req.count} registers`);
      const registers = new Uint16Array(req.count);
      for (let i = 0; i < req.count; i++) registers[i] = readU16(pdu, 2 + 2 * i);
      return { fc: req.fc, registers };
    }
    case FC.WRITE_SINGLE_COIL:
    case FC.WRITE_SINGLE_REGISTER:
    case FC.WRITE_MULTIPLE_COILS:
    case FC.WRITE_MULTIPLE_REGISTERS: {
      if (pdu.length !== 5) throw bad('write response must be 5 bytes');
      const address = readU16(pdu, 1);
      if (address !== req.address) throw bad(`echoed address ${address} is not ${req.address}`);
      const v = readU16(pdu, 3);
      if (req.fc === FC.WRITE_SINGLE_COIL) return { fc: req.fc, address, value: v === COIL_ON };
      if (req.fc === FC.WRITE_SINGLE_REGISTER) return { fc: req.fc, address, value: v };
      return { fc: req.fc, address, count: v };
    }
  }
}

/** Packs bits LSB-first: bit 0 of the first byte is the first addressed coil (§6.1, §6.11). */
export function packBits(bits: ArrayLike<boolean | number>): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

export function unpackBits(bytes: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = ((bytes[i >> 3] ?? 0) >> (i & 7)) & 1;
  return out;
}

function header(length: number, fc: number, a: number, b: number): Uint8Array {
  const out = new Uint8Array(length);
  out[0] = fc;
  writeU16(out, 1, a);
  writeU16(out, 3, b);
  return out;
}

export function readU16(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

export function writeU16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
