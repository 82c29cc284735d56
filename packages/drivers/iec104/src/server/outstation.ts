/**
 * An IEC 60870-5-104 outstation (controlled station) on TCP, for the simulator and for tests:
 * it serves a process image to any number of masters, answers interrogations, sends changes
 * spontaneously (COT 3, with CP56Time2a time tags unless disabled) and hands commands to
 * `onCommand`. Every socket and timer belongs to it and is released by `close()`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { silentLogger, systemClock, type Clock, type Logger } from '@watershed/common';
import { Cot, TIME_TAGGED } from '../codec/types.js';
import { Iec104Errors } from '../errors.js';
import { DEFAULT_TIMERS, type ApciTimers } from '../link/apci-session.js';
import {
  pointState,
  pointValue,
  typeIdOfName,
  type OutstationCommand,
  type OutstationCommandDef,
  type OutstationPoint,
  type PointState,
} from './points.js';
import { StationConnection } from './station-connection.js';

export interface Iec104OutstationOptions {
  host?: string;
  /** 0 picks a free port; the standard's port is 2404. */
  port: number;
  commonAddress: number;
  points: readonly OutstationPoint[];
  /**
   * Commands the station accepts; others are answered with COT 47 (unknown IOA). Without a list,
   * every command of a supported type goes to `onCommand`.
   */
  commands?: readonly OutstationCommandDef[];
  /** Decides on a command: true accepts (ActCon, then ActTerm on execute), false or a throw refuses. */
  onCommand?(cmd: OutstationCommand): boolean | Promise<boolean>;
  /** Spontaneous data with time tags (M_ME_TF_1 …) rather than without (M_ME_NC_1 …); default true. */
  timeTags?: boolean;
  /** How long a select stays valid for its execute, ms; default 30 s. */
  selectTimeoutMs?: number;
  timers?: Partial<ApciTimers>;
  clock?: Clock;
  logger?: Logger;
}

export interface UpdateOptions {
  quality?: number;
  /** Event time for the time tag; default now. */
  time?: number;
  /** Send to connected masters (COT 3); default true. */
  spontaneous?: boolean;
  /** Report even when value and quality are unchanged; by default only changes are reported. */
  force?: boolean;
}

export interface Iec104Outstation {
  readonly port: number;
  /** Masters currently connected. */
  readonly connections: number;
  /** The current value of a point. */
  get(ioa: number): { value: number | boolean; quality: number } | undefined;
  /** Changes a point and reports a change spontaneously (see UpdateOptions). Throws for an unknown IOA. */
  update(ioa: number, value: number | boolean, options?: UpdateOptions): void;
  /** The time the last clock synchronisation command carried, ms epoch. */
  readonly lastClockSync: number | undefined;
  close(): Promise<void>;
}

export async function startIec104Outstation(opts: Iec104OutstationOptions): Promise<Iec104Outstation> {
  const station = new Outstation(opts);
  await station.listen(opts.host ?? '127.0.0.1', opts.port);
  return station;
}

class Outstation implements Iec104Outstation {
  readonly #opts: Iec104OutstationOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #timers: ApciTimers;
  readonly #points = new Map<number, PointState>();
  readonly #commands: Map<string, OutstationCommandDef> | undefined;
  readonly #server: Server;
  readonly #sockets = new Map<Socket, StationConnection>();
  #port = 0;
  #closing: Promise<void> | undefined;
  lastClockSync: number | undefined;

  constructor(opts: Iec104OutstationOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#logger = opts.logger ?? silentLogger();
    this.#timers = { ...DEFAULT_TIMERS, ...opts.timers };
    for (const p of opts.points) this.#points.set(p.ioa, pointState(p));
    this.#commands =
      opts.commands && new Map(opts.commands.map((c) => [`${typeIdOfName(c.type)}:${c.ioa}`, c]));
    this.#server = createServer({ noDelay: true }, (socket) => this.#accept(socket));
  }

  get port(): number {
    return this.#port;
  }

  get connections(): number {
    return this.#sockets.size;
  }

  async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const addr = this.#server.address();
    this.#port = typeof addr === 'object' && addr ? addr.port : port;
  }

  get(ioa: number): { value: number | boolean; quality: number } | undefined {
    const p = this.#points.get(ioa);
    return p && { value: p.object.value, quality: p.object.quality ?? 0 };
  }

  update(ioa: number, value: number | boolean, options: UpdateOptions = {}): void {
    const p = this.#points.get(ioa);
    if (!p) throw Iec104Errors.ADDRESS.create([String(ioa), 'no such point in the outstation']);
    // Updated in place: a simulator updates every point every second, and a new object per
    // update lives one update — long enough for V8 to promote it, so the garbage piles up in old
    // space. Safe because every send encodes synchronously (StationConnection.send).
    const o = p.object;
    const next = pointValue(p.typeId, value);
    const quality = options.quality ?? o.quality ?? 0;
    const changed = next !== o.value || quality !== o.quality;
    o.value = next;
    o.quality = quality;
    if (options.spontaneous === false || (!changed && !options.force)) return;
    const tagged = this.#opts.timeTags ?? true;
    const typeId = tagged ? (TIME_TAGGED.get(p.typeId) ?? p.typeId) : p.typeId;
    const object = tagged ? { ...p.object, time: options.time ?? this.#clock.now() } : p.object;
    for (const c of this.#sockets.values()) {
      c.send({ typeId, cot: Cot.SPONTANEOUS, commonAddress: this.#opts.commonAddress, objects: [object] });
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const sockets = [...this.#sockets.keys()].map(
      (s) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve()))),
    );
    for (const s of this.#sockets.keys()) s.destroy();
    await Promise.all([closed, ...sockets]);
  }

  #accept(socket: Socket): void {
    if (this.#closing) {
      socket.destroy();
      return;
    }
    const connection = new StationConnection(
      {
        commonAddress: this.#opts.commonAddress,
        clock: this.#clock,
        logger: this.#logger,
        selectTimeoutMs: this.#opts.selectTimeoutMs ?? 30_000,
        points: () => this.#points.values(),
        command: (ioa, typeId) => (this.#commands ? this.#commands.get(`${typeId}:${ioa}`) : 'any'),
        onCommand: async (cmd) => (this.#opts.onCommand ? await this.#opts.onCommand(cmd) : false),
        onClockSync: (ms) => {
          this.lastClockSync = ms;
        },
      },
      this.#timers,
      (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      (err) => {
        this.#logger.warn({ err: err.message }, 'IEC 104 master link failed; closing it');
        socket.destroy();
      },
    );
    this.#sockets.set(socket, connection);
    socket.on('data', (chunk: Buffer) => connection.session.onData(chunk));
    socket.on('error', (err) => this.#logger.debug({ err: err.message }, 'IEC 104 master socket error'));
    socket.once('close', () => {
      connection.session.dispose();
      this.#sockets.delete(socket);
    });
  }
}
