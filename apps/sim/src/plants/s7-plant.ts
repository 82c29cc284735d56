import type { Logger } from '@watershed/common';
import { AREA, createMemory, startS7Server, type S7TcpServer, type WriteEvent } from '@watershed/driver-s7';
import { SimErrors } from '../errors.js';
import type { PlantDefinition, PlantPoint } from './plant.js';
import type { PointValue } from './plant-runtime.js';

/** Readings live in DB1, writable points (commands and set-points) in DB2. */
export const S7_DB = { readings: 1, commands: 2 } as const;
/** Every point takes a 4-byte slot: a REAL, or a BOOL in bit 0 of the slot's first byte. */
const SLOT = 4;

/** A plant point as the simulated S7 CPU serves it. */
export interface S7Point {
  readonly point: PlantPoint;
  readonly db: number;
  readonly offset: number;
  /** The s7 driver's tag address: `DB1.DBD8:REAL`, `DB2.DBX4.0`. */
  readonly address: string;
}

/**
 * Lays a plant's tag table out in two data blocks, in tag-table order so addresses stay stable
 * while the table only grows: read-only points in DB1, writable ones in DB2, one 4-byte slot
 * each. Numbers are REALs whatever their integer data type (a REAL holds integers exactly up to
 * 2^24, plenty for plant values), bools bit 0 of their slot.
 */
export function mapS7(plant: PlantDefinition): S7Point[] {
  const next: Record<number, number> = { [S7_DB.readings]: 0, [S7_DB.commands]: 0 };
  return plant.points.map((point) => {
    if (point.dataType === 'string') {
      throw SimErrors.PLANT_INVALID.create([plant.id, `tag ${point.tag}: the S7 plant serves no strings`]);
    }
    const db = point.writable ? S7_DB.commands : S7_DB.readings;
    const offset = SLOT * next[db]!++;
    const address = point.dataType === 'bool' ? `DB${db}.DBX${offset}.0` : `DB${db}.DBD${offset}:REAL`;
    return { point, db, offset, address };
  });
}

export interface S7PlantOptions {
  plant: PlantDefinition;
  host: string;
  /** 0 lets the OS choose. */
  port: number;
  logger: Logger;
  /** A client wrote a writable point; returns whether the process accepted it. */
  onCommand(point: PlantPoint, value: PointValue): boolean;
}

/**
 * One plant's PLC as an S7 CPU (our own S7 server from @watershed/driver-s7, no native addon):
 * the plant's readings are copied into its data blocks every tick, and a client's write to a
 * writable point becomes a command, so it changes the hydraulics on the next step. A refused
 * command is answered with return code 0x03 and leaves the memory as it was.
 */
export class S7PlantServer {
  readonly #server: S7TcpServer;
  readonly #points: readonly S7Point[];
  readonly #dbs: ReadonlyMap<number, Uint8Array>;
  readonly host: string;
  readonly port: number;

  private constructor(
    server: S7TcpServer,
    points: readonly S7Point[],
    dbs: ReadonlyMap<number, Uint8Array>,
    host: string,
  ) {
    this.#server = server;
    this.#points = points;
    this.#dbs = dbs;
    this.host = host;
    this.port = server.port;
  }

  static async start(o: S7PlantOptions): Promise<S7PlantServer> {
    const points = mapS7(o.plant);
    const memory = createMemory();
    for (const db of Object.values(S7_DB)) {
      const slots = points.filter((p) => p.db === db).length;
      memory.db.set(db, new Uint8Array(Math.max(SLOT, slots * SLOT)));
    }
    const byOffset = new Map(points.map((p) => [`${p.db}:${p.offset}`, p]));
    const onWrite = (e: WriteEvent): boolean => {
      const p = e.spec.area === AREA.DB ? byOffset.get(`${e.spec.db}:${e.spec.start}`) : undefined;
      // Only whole writable points are commands; anything else in the DBs is not the client's to change.
      if (!p?.point.writable) return false;
      const value = valueOf(p, e);
      if (value === undefined) return false;
      o.logger.debug({ tag: p.point.tag, value }, 'S7 write');
      return o.onCommand(p.point, value);
    };
    const server = await startS7Server({ memory, host: o.host, port: o.port, logger: o.logger, onWrite });
    return new S7PlantServer(server, points, memory.db, o.host);
  }

  /** The tag table with S7 addresses, for a gateway's configuration. */
  get points(): readonly S7Point[] {
    return this.#points;
  }

  publish(values: Readonly<Record<string, PointValue>>): void {
    for (const p of this.#points) {
      const v = values[p.point.tag];
      const db = this.#dbs.get(p.db)!;
      if (v === undefined) continue;
      if (typeof v === 'boolean') db[p.offset] = v ? 1 : 0;
      else new DataView(db.buffer, db.byteOffset).setFloat32(p.offset, v);
    }
  }

  close(): Promise<void> {
    return this.#server.close();
  }
}

function valueOf(p: S7Point, e: WriteEvent): PointValue | undefined {
  if (p.point.dataType === 'bool') {
    return e.spec.size === 'bit' && e.spec.bit === 0 ? e.data[0] === 1 : undefined;
  }
  if (e.spec.size !== 'byte' || e.data.length !== SLOT) return undefined;
  const v = new DataView(e.data.buffer, e.data.byteOffset, SLOT).getFloat32(0);
  return Number.isFinite(v) ? v : undefined;
}
