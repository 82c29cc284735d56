import type { Clock, Logger } from '@watershed/common';
import {
  startIec104Outstation,
  type CommandTypeName,
  type Iec104Outstation,
  type MonitorTypeName,
  type OutstationCommand,
  type OutstationCommandDef,
  type OutstationPoint,
} from '@watershed/driver-iec104';
import { SimErrors } from '../errors.js';
import type { PlantDefinition, PlantPoint } from './plant.js';
import type { PointValue } from './plant-runtime.js';

/**
 * Where each kind of point starts in the information object address space. IEC 60870-5-104
 * §7.2.5 leaves the IOA structure to the station; these blocks are the conventional ones of
 * utility RTUs (and of the driver's own examples): indications low, measurands from 0x4001,
 * single commands from 0x6001, set-points from 0x6201.
 */
export const IOA_BASE = {
  single: 1001,
  measured: 16385,
  singleCommand: 24577,
  setpoint: 25089,
} as const;

/** A plant point as the outstation serves it. */
export interface Iec104Point {
  readonly point: PlantPoint;
  readonly ioa: number;
  /** What the station reports at `ioa` (for a writable point: its return information). */
  readonly monitor: MonitorTypeName;
  /** The command a master sends to `ioa`, for writable points. */
  readonly command?: CommandTypeName;
  /** Select before operate (IEC 60870-5-101 §7.2.6.15): pump run/stop commands are. */
  readonly sbo: boolean;
  /** Spontaneous reports only when the value moved more than this from the last one reported. */
  readonly deadband: number;
  /** The iec104 driver's tag address, `<type>:<ioa>[:sbo]`. */
  readonly address: string;
}

/**
 * Lays a plant's tag table out as an IEC 104 process image, in tag-table order within each block
 * so addresses stay stable while the table only grows: read-only bools are single points
 * (M_SP_NA_1), read-only numbers short floats (M_ME_NC_1), writable bools single commands
 * (C_SC_NA_1, select-before-operate) and writable numbers short-float set-points (C_SE_NC_1,
 * direct execute). A writable point's return information is reported at the command's own IOA,
 * so the driver reads the current setting from the same address it writes.
 */
export function mapIec104(plant: PlantDefinition): Iec104Point[] {
  const next = { single: 0, measured: 0, singleCommand: 0, setpoint: 0 };
  return plant.points.map((point) => {
    if (point.dataType === 'string')
      throw SimErrors.PLANT_INVALID.create([plant.id, `tag ${point.tag}: IEC 104 serves no strings`]);
    const bool = point.dataType === 'bool';
    const block = point.writable ? (bool ? 'singleCommand' : 'setpoint') : bool ? 'single' : 'measured';
    const ioa = IOA_BASE[block] + next[block]++;
    const monitor: MonitorTypeName = bool ? 'M_SP_NA_1' : 'M_ME_NC_1';
    const command: CommandTypeName | undefined = point.writable
      ? bool
        ? 'C_SC_NA_1'
        : 'C_SE_NC_1'
      : undefined;
    const sbo = command === 'C_SC_NA_1';
    const type = command ?? monitor;
    return {
      point,
      ioa,
      monitor,
      ...(command ? { command } : {}),
      sbo,
      deadband: deadbandOf(point),
      address: `${type}:${ioa}${sbo ? ':sbo' : ''}`,
    };
  });
}

/**
 * Twice the sensor's noise (or its resolution, if coarser): noise alone then seldom triggers a
 * report, as an RTU's configured deadband intends, while a real change is sent at once.
 */
function deadbandOf(point: PlantPoint): number {
  if (point.dataType === 'bool') return 0;
  return Math.max(point.sensor?.resolution ?? 0, 2 * (point.sensor?.noise ?? 0));
}

export interface Iec104PlantOptions {
  plant: PlantDefinition;
  host: string;
  /** 0 lets the OS choose; the standard's port is 2404. */
  port: number;
  /** Common address of ASDU (the station address); the plant's unit id by default. */
  commonAddress?: number;
  logger: Logger;
  clock: Clock;
  /** A master commanded a writable point. Returns whether the process accepted it. */
  onCommand(point: PlantPoint, value: PointValue): boolean;
}

/**
 * One plant's PLC as an IEC 60870-5-104 outstation (the iec104 driver's server): the tag table as
 * a process image (see mapIec104), refreshed every tick with the tick's time as time tag;
 * changes beyond a point's deadband are sent spontaneously (COT 3, M_ME_TF_1 / M_SP_TB_1 with
 * CP56Time2a), smaller ones only update the image a general interrogation returns. Commands are
 * handed to the plant, so an executed set-point or pump command changes the hydraulics.
 */
export class Iec104PlantServer {
  readonly #station: Iec104Outstation;
  readonly #points: readonly Iec104Point[];
  /** Last value sent spontaneously, per IOA: the deadband's reference. */
  readonly #reported = new Map<number, PointValue>();
  readonly host: string;
  readonly commonAddress: number;

  private constructor(station: Iec104Outstation, points: readonly Iec104Point[], host: string, ca: number) {
    this.#station = station;
    this.#points = points;
    this.host = host;
    this.commonAddress = ca;
  }

  static async start(opts: Iec104PlantOptions): Promise<Iec104PlantServer> {
    const points = mapIec104(opts.plant);
    const byIoa = new Map(points.map((p) => [p.ioa, p] as const));
    const commonAddress = opts.commonAddress ?? opts.plant.unitId;
    const image: OutstationPoint[] = points.map((p) => ({
      ioa: p.ioa,
      type: p.monitor,
      value: p.monitor === 'M_SP_NA_1' ? false : 0,
      // Until the first tick: invalid (QDS IV, IEC 60870-5-101 §7.2.6.3), like a PLC just booted.
      quality: 0x80,
    }));
    const commands: OutstationCommandDef[] = points.flatMap((p) =>
      p.command ? [{ ioa: p.ioa, type: p.command, sbo: p.sbo }] : [],
    );
    // The command handler needs the server, which exists only once the station listens.
    const self: { server?: Iec104PlantServer } = {};
    const onCommand = (cmd: OutstationCommand): boolean => {
      const p = byIoa.get(cmd.ioa);
      if (!p) return false;
      // The select step only reserves the point; nothing moves until the execute (§7.2.6.15).
      if (cmd.select) return true;
      opts.logger.info({ tag: p.point.tag, value: cmd.value }, 'IEC 104 command');
      if (!opts.onCommand(p.point, cmd.value)) return false;
      // The return information follows the command at once, as the RTU's feedback would.
      if (self.server) self.server.#report(p, cmd.value, opts.clock.now(), 0);
      return true;
    };
    const station = await startIec104Outstation({
      host: opts.host,
      port: opts.port,
      commonAddress,
      points: image,
      commands,
      onCommand,
      timeTags: true,
      clock: opts.clock,
      logger: opts.logger,
    });
    const server = new Iec104PlantServer(station, points, opts.host, commonAddress);
    self.server = server;
    opts.logger.info({ plant: opts.plant.id, port: station.port, commonAddress }, 'IEC 104 plant started');
    return server;
  }

  get port(): number {
    return this.#station.port;
  }

  /** Masters connected right now. */
  get connections(): number {
    return this.#station.connections;
  }

  /** The served points with their IOAs and driver addresses. */
  get points(): readonly Iec104Point[] {
    return this.#points;
  }

  /** Serves the readings with `ts` (ms epoch) as their time tag; points without a reading keep theirs. */
  publish(values: Readonly<Record<string, PointValue>>, ts: number): void {
    for (const p of this.#points) {
      const v = values[p.point.tag];
      if (v !== undefined) this.#report(p, v, ts, p.deadband);
    }
  }

  async close(): Promise<void> {
    await this.#station.close();
  }

  #report(p: Iec104Point, value: PointValue, ts: number, deadband: number): void {
    const last = this.#reported.get(p.ioa);
    const invalid = this.#station.get(p.ioa)?.quality !== 0;
    const moved =
      invalid ||
      last === undefined ||
      (typeof value === 'number' && typeof last === 'number'
        ? Math.abs(value - last) > deadband
        : value !== last);
    const v = p.monitor === 'M_SP_NA_1' ? value === true || value === 1 : Number(value);
    this.#station.update(p.ioa, v, { quality: 0, time: ts, spontaneous: moved });
    if (moved) this.#reported.set(p.ioa, v);
  }
}
