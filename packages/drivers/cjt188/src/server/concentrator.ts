/**
 * A concentrator (or a transparent DTU with its bus of meters) on TCP, for the simulator and for
 * tests: it answers CJ/T 188-2004 requests as the addressed meter would —
 *
 * - 901FH read metering data (C=01H → 81H),
 * - A017H valve control (C=04H → 84H, answer carries ST),
 * - 810AH read address (C=03H → 83H); to the broadcast address only when exactly one meter is on
 *   the bus (several real meters would all answer and collide),
 *
 * and stays silent for unknown addresses, other meter types, other DIs and malformed bytes, as a
 * real bus does. Meter state lives in the caller's map and is read at each request.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { silentLogger, systemClock, type Clock, type Logger } from '@watershed/common';
import { serveBus, type BusOptions } from './responder.js';

export type { MeterState } from './responder.js';

export interface ConcentratorOptions extends Omit<BusOptions, 'clock'> {
  host?: string;
  /** 0 = any free port. */
  port: number;
  /** Meters' clock; default the system clock. */
  clock?: Clock;
  logger?: Logger;
}

export interface Cjt188Concentrator {
  readonly host: string;
  readonly port: number;
  /** Requests answered, by DI (for tests and the simulator's status). */
  readonly answered: ReadonlyMap<number, number>;
  close(): Promise<void>;
}

export async function startCjt188Concentrator(opts: ConcentratorOptions): Promise<Cjt188Concentrator> {
  const host = opts.host ?? '127.0.0.1';
  const bus: BusOptions = { ...opts, clock: opts.clock ?? systemClock };
  const logger = opts.logger ?? silentLogger();
  const sockets = new Set<Socket>();
  const answered = new Map<number, number>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    serveBus(socket, bus, (di) => answered.set(di, (answered.get(di) ?? 0) + 1));
    socket.on('error', (err) => logger.debug({ err: err.message }, 'concentrator client socket error'));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as { port: number }).port;
  logger.info({ host, port, meters: opts.meters.size }, 'CJ/T 188 concentrator listening');
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    answered,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
