/**
 * A Modbus TCP server over register banks, for the city simulator and for tests. One bank per
 * unit id; a request for a unit without a bank answers exception 0x0B, as a gateway does when the
 * target device does not respond (Application Protocol V1.1b3 §7) — or, with RTU framing, silence.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { silentLogger, type Logger } from '@watershed/common';
import type { RegisterBank } from './bank.js';
import type { WriteEvent } from './handler.js';
import { createResponder, toLookup, type ServerFraming } from './responder.js';

export interface ModbusTcpServer {
  readonly port: number;
  readonly host: string;
  /** Client connections open now. */
  readonly connections: number;
  /** Stops listening, drops every client connection, resolves once all are closed. */
  close(): Promise<void>;
}

export interface ModbusTcpServerOptions {
  host?: string;
  /** 0 lets the OS choose; read the result from `server.port`. */
  port: number;
  banks: Map<number, RegisterBank> | ((unitId: number) => RegisterBank | undefined);
  onWrite?: (e: WriteEvent) => void;
  logger?: Logger;
  /** 'rtu' serves RTU frames over TCP, as a serial device behind a transparent serial server does. */
  framing?: ServerFraming;
}

export async function startModbusTcpServer(opts: ModbusTcpServerOptions): Promise<ModbusTcpServer> {
  const host = opts.host ?? '127.0.0.1';
  const logger = opts.logger ?? silentLogger();
  const lookup = toLookup(opts.banks);
  const sockets = new Set<Socket>();

  const server: Server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', (err) => logger.debug({ err: err.message }, 'Modbus client socket error'));
    const splitter = createResponder(opts.framing ?? 'mbap', lookup, (b) => socket.write(b), opts.onWrite);
    socket.on('data', (chunk: Buffer) => {
      try {
        splitter.push(chunk);
      } catch (err) {
        // Messaging Guide §4.4.1.2: a malformed MBAP header cannot be answered; drop the client.
        // RTU tunnelled over TCP has no silent interval to resynchronise on either.
        logger.warn({ err: (err as Error).message, remote: socket.remoteAddress }, 'dropping Modbus client');
        socket.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  let closing: Promise<void> | undefined;

  return {
    port,
    host,
    get connections() {
      return sockets.size;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}
