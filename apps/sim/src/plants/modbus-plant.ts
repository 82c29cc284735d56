import type { Logger } from '@watershed/common';
import {
  createRegisterBank,
  startModbusTcpServer,
  type ModbusTcpServer,
  type RegisterBank,
  type WriteEvent,
} from '@watershed/driver-modbus';
import { loadValue, storeValue, touches, type MappedPoint } from './register-map.js';
import type { PointValue } from './plant-runtime.js';

export interface ModbusPlantOptions {
  unitId: number;
  points: readonly MappedPoint[];
  host: string;
  /** 0 lets the OS choose. */
  port: number;
  logger: Logger;
  /** A client wrote a writable point; called once per point with the value now in the bank. */
  onCommand(point: MappedPoint, value: PointValue): void;
}

/**
 * One plant's PLC as a Modbus TCP server: a register bank for its unit id, refreshed from the
 * plant's readings every tick, and writes to coils and holding registers turned into commands.
 */
export class ModbusPlantServer {
  readonly #bank: RegisterBank;
  readonly #points: readonly MappedPoint[];
  readonly #server: ModbusTcpServer;

  private constructor(bank: RegisterBank, points: readonly MappedPoint[], server: ModbusTcpServer) {
    this.#bank = bank;
    this.#points = points;
    this.#server = server;
  }

  static async start(opts: ModbusPlantOptions): Promise<ModbusPlantServer> {
    const bank = createRegisterBank(bankSize(opts.points));
    const onWrite = (e: WriteEvent): void => {
      if (e.unitId !== opts.unitId) return;
      for (const m of opts.points) {
        if (!m.point.writable || !touches(m, e.area, e.address, e.count)) continue;
        const value = loadValue(bank, m);
        opts.logger.info({ tag: m.point.tag, value }, 'Modbus write');
        opts.onCommand(m, value);
      }
    };
    const server = await startModbusTcpServer({
      host: opts.host,
      port: opts.port,
      banks: new Map([[opts.unitId, bank]]),
      onWrite,
      logger: opts.logger,
    });
    return new ModbusPlantServer(bank, opts.points, server);
  }

  get host(): string {
    return this.#server.host;
  }

  get port(): number {
    return this.#server.port;
  }

  /** Puts the readings into the bank; points without a reading keep their registers. */
  publish(values: Readonly<Record<string, PointValue>>): void {
    for (const m of this.#points) {
      const v = values[m.point.tag];
      if (v !== undefined) storeValue(this.#bank, m, v);
    }
  }

  async close(): Promise<void> {
    await this.#server.close();
  }
}

/** Tables just large enough for the plant's points (at least one entry each). */
function bankSize(points: readonly MappedPoint[]): Record<keyof RegisterBank, number> {
  const size = { coils: 1, discreteInputs: 1, inputRegisters: 1, holdingRegisters: 1 };
  for (const { address: a } of points) size[a.area] = Math.max(size[a.area], a.address + a.count);
  return size;
}
