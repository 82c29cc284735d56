/**
 * The server side of a byte stream: cuts requests out of it, serves them from the unit's bank and
 * writes the answers back, in MBAP (Modbus TCP) or RTU framing. Used by the TCP server and by
 * `serveModbusStream` for serial lines and in-memory pairs.
 */
import type { Duplex } from 'node:stream';
import { encodeMbap, MbapSplitter } from '../codec/mbap.js';
import { EXCEPTION, encodeResponse, type Response } from '../codec/pdu.js';
import { encodeRtu, RtuSplitter } from '../codec/rtu.js';
import type { RegisterBank } from './bank.js';
import { serveRequest, type WriteEvent } from './handler.js';

export type BankLookup = (unitId: number) => RegisterBank | undefined;
export type ServerFraming = 'mbap' | 'rtu';

export interface Responder {
  /** Feeds received bytes; throws WS_ERR_MODBUS_FRAME when the stream is out of step. */
  push(chunk: Uint8Array): void;
  reset(): void;
}

export function toLookup(banks: Map<number, RegisterBank> | BankLookup): BankLookup {
  return typeof banks === 'function' ? banks : (id) => banks.get(id);
}

export function createResponder(
  framing: ServerFraming,
  lookup: BankLookup,
  write: (bytes: Uint8Array) => void,
  onWrite?: (e: WriteEvent) => void,
): Responder {
  if (framing === 'mbap') {
    return new MbapSplitter(({ transactionId, unitId, pdu }) => {
      const bank = lookup(unitId);
      // A gateway whose target does not answer says so with 0x0B (Application Protocol §7).
      const response: Response = bank
        ? serveRequest(bank, unitId, pdu, onWrite)
        : { fc: (pdu[0] ?? 0) & 0x7f, exception: EXCEPTION.GATEWAY_TARGET_FAILED };
      write(encodeMbap(transactionId, unitId, encodeResponse(response)));
    });
  }
  return new RtuSplitter('request', ({ unitId, pdu }) => {
    const bank = lookup(unitId);
    // Serial Line §2.2: only the addressed server answers; a request for a unit not on this
    // line gets silence, and the client times out.
    if (!bank) return;
    write(encodeRtu(unitId, encodeResponse(serveRequest(bank, unitId, pdu, onWrite))));
  });
}

export interface StreamServerOptions {
  banks: Map<number, RegisterBank> | BankLookup;
  framing?: ServerFraming;
  onWrite?: (e: WriteEvent) => void;
}

/**
 * Serves Modbus requests arriving on any Duplex (a serial port, an in-memory pair). RTU framing
 * by default. A corrupted frame is dropped and the stream resynchronises on the next request, as
 * a serial device does after a silent interval. `detach()` removes the listeners; the stream
 * stays the caller's to close.
 */
export function serveModbusStream(stream: Duplex, opts: StreamServerOptions): { detach(): void } {
  const responder = createResponder(
    opts.framing ?? 'rtu',
    toLookup(opts.banks),
    (b) => stream.write(b),
    opts.onWrite,
  );
  const onData = (chunk: Buffer): void => {
    try {
      responder.push(chunk);
    } catch {
      responder.reset();
    }
  };
  stream.on('data', onData);
  return { detach: () => stream.off('data', onData) };
}
