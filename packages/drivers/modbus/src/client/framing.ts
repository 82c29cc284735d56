/**
 * How requests and responses are wrapped on a byte stream: MBAP (Modbus TCP) matches responses
 * by transaction id, so several requests may be in flight; RTU (serial, or RTU tunnelled over
 * TCP) has no id, so a link carries one request at a time and a response is matched by order.
 */
import { encodeMbap, MbapSplitter } from '../codec/mbap.js';
import { encodeRtu, RtuSplitter } from '../codec/rtu.js';

export interface Splitter {
  push(chunk: Uint8Array): void;
  reset(): void;
}

export interface Framing {
  readonly name: 'mbap' | 'rtu';
  /** Whether responses carry an id, allowing more than one request in flight. */
  readonly pipelined: boolean;
  encode(id: number, unitId: number, pdu: Uint8Array): Uint8Array;
  /** `id` is undefined for framings without one. */
  splitter(onFrame: (id: number | undefined, unitId: number, pdu: Uint8Array) => void): Splitter;
}

export const mbapFraming: Framing = {
  name: 'mbap',
  pipelined: true,
  encode: encodeMbap,
  splitter: (onFrame) => new MbapSplitter((f) => onFrame(f.transactionId, f.unitId, f.pdu)),
};

export const rtuFraming: Framing = {
  name: 'rtu',
  pipelined: false,
  encode: (_id, unitId, pdu) => encodeRtu(unitId, pdu),
  splitter: (onFrame) => new RtuSplitter('response', (f) => onFrame(undefined, f.unitId, f.pdu)),
};
