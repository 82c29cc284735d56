/**
 * A small S7 server (the PLC side of S7comm over ISO-on-TCP) for the simulator and tests: it
 * accepts the COTP connection, answers Setup Communication with the smaller of the client's and
 * its own PDU length, and serves Read Var / Write Var from an S7Memory. Other functions are
 * answered with an Ack-Data header error (class 0x81 "application relationship", code 0x04
 * "not implemented"), which is what a client must tolerate from a real CPU anyway.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '@watershed/common';
import { decodeTpdu, encodeCc, encodeDt } from '../codec/cotp.js';
import {
  decodeDataItems,
  decodePdu,
  decodeReadRequest,
  decodeSetup,
  decodeWriteParam,
  encodeAckParam,
  encodeDataItems,
  encodePdu,
  encodeSetup,
  FUNCTION,
  RETURN_OK,
  ROSCTR,
  type S7Pdu,
  type VarSpec,
} from '../codec/s7comm.js';
import { encodeTpkt, TpktSplitter } from '../codec/tpkt.js';
import { RC_ACCESS_DENIED, readItem, writeItem, type S7Memory } from './memory.js';

export interface WriteEvent {
  readonly spec: VarSpec;
  readonly data: Uint8Array;
}

export interface S7ServerOptions {
  memory: S7Memory;
  host?: string;
  /** 0 lets the OS choose; 102 is the ISO-on-TCP port (RFC 1006). */
  port: number;
  pduSize?: number;
  logger?: Logger;
  /**
   * Called after a client's write was stored; the plant turns it into a command. Returning false
   * refuses it: the memory is restored and the item answered 0x03 (access not allowed).
   */
  onWrite?(event: WriteEvent): boolean | void;
}

export interface S7TcpServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startS7Server(o: S7ServerOptions): Promise<S7TcpServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (err) => o.logger?.debug({ err }, 'S7 client connection error'));
    serveConnection(socket, o);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function serveConnection(socket: Socket, o: S7ServerOptions): void {
  const splitter = new TpktSplitter();
  let pduSize = o.pduSize ?? 480;
  const send = (tpdu: Uint8Array): void => {
    socket.write(encodeTpkt(tpdu));
  };
  socket.on('data', (chunk: Buffer) => {
    try {
      for (const bytes of splitter.push(chunk)) {
        const tpdu = decodeTpdu(bytes);
        if (tpdu.kind === 'CR') {
          send(
            encodeCc({
              dstRef: tpdu.srcRef,
              srcRef: 0x0001,
              ...(tpdu.callingTsap !== undefined ? { callingTsap: tpdu.callingTsap } : {}),
              ...(tpdu.calledTsap !== undefined ? { calledTsap: tpdu.calledTsap } : {}),
            }),
          );
        } else if (tpdu.kind === 'DT') {
          const job = decodePdu(tpdu.payload);
          const answer = answerJob(job, pduSize, o);
          if (job.param[0] === FUNCTION.SETUP && job.errorClass === 0)
            pduSize = Math.min(pduSize, decodeSetup(job.param).pduLength);
          send(encodeDt(answer));
        } else if (tpdu.kind === 'DR') {
          socket.end();
        }
      }
    } catch (err) {
      // An undecodable frame: the connection cannot be trusted any more.
      o.logger?.debug({ err }, 'S7 server dropped a client after a bad frame');
      socket.destroy();
    }
  });
}

function answerJob(job: S7Pdu, pduSize: number, o: S7ServerOptions): Uint8Array {
  const ack = (param: Uint8Array, data?: Uint8Array): Uint8Array =>
    encodePdu({ rosctr: ROSCTR.ACK_DATA, pduRef: job.pduRef }, param, data);
  switch (job.param[0]) {
    case FUNCTION.SETUP: {
      const asked = decodeSetup(job.param);
      return ack(
        encodeSetup({ maxAmqCalling: 1, maxAmqCalled: 1, pduLength: Math.min(asked.pduLength, pduSize) }),
      );
    }
    case FUNCTION.READ_VAR: {
      const items = decodeReadRequest(job.param);
      return ack(
        encodeAckParam(FUNCTION.READ_VAR, items.length),
        encodeDataItems(items.map((s) => readItem(o.memory, s))),
      );
    }
    case FUNCTION.WRITE_VAR: {
      const specs = decodeWriteParam(job.param);
      const data = decodeDataItems(job.data, specs.length, true);
      const codes = specs.map((spec, i) => {
        const bytes = data[i]!.data;
        // The bytes the write touches, to put back if the plant refuses the value.
        const span: VarSpec = { ...spec, size: 'byte', bit: 0, count: spec.size === 'bit' ? 1 : spec.count };
        const before = readItem(o.memory, span);
        const rc = writeItem(o.memory, spec, bytes);
        if (rc !== RETURN_OK || o.onWrite?.({ spec, data: bytes }) !== false) return rc;
        writeItem(o.memory, span, before.data);
        return RC_ACCESS_DENIED;
      });
      return ack(encodeAckParam(FUNCTION.WRITE_VAR, specs.length), Uint8Array.from(codes));
    }
    default:
      return encodePdu(
        { rosctr: ROSCTR.ACK_DATA, pduRef: job.pduRef, errorClass: 0x81, errorCode: 0x04 },
        new Uint8Array(0),
      );
  }
}
