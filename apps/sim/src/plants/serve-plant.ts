import type { Clock, Logger } from '@watershed/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlantProtocol, SimConfig } from '../config.js';
import type { HydraulicRun } from '../hydraulics/run.js';
import { actuationsFor } from './commands.js';
import { Iec104PlantServer, mapIec104 } from './iec104-plant.js';
import { ModbusPlantServer } from './modbus-plant.js';
import { OpcuaPlantServer } from './opcua-plant.js';
import { nodeIdOf } from '../opcua/address-space.js';
import { tagsOf, type PlantDefinition, type PlantPoint, type PlantTag } from './plant.js';
import type { PlantRuntime, PointValue } from './plant-runtime.js';
import type { MappedPoint } from './register-map.js';
import { mapS7, S7PlantServer } from './s7-plant.js';

/** What the simulator needs of a protocol server, whichever protocol it speaks. */
export interface PlantServer {
  readonly host: string;
  readonly port: number;
  /** Serves the readings; `ts` is the tick's time, for protocols that carry source timestamps. */
  publish(values: Readonly<Record<string, PointValue>>, ts: number): void;
  close(): Promise<void>;
}

export interface ServePlantOptions {
  readonly definition: PlantDefinition;
  /** The Modbus register map of the plant (Modbus plants). */
  readonly registers: readonly MappedPoint[];
  readonly protocol: PlantProtocol;
  /** How many plants before this one speak the same protocol: each protocol numbers its own ports. */
  readonly nth: number;
  readonly settings: Pick<
    SimConfig,
    'host' | 'modbusPort' | 'opcuaPort' | 'opcuaPkiDir' | 'iec104Port' | 's7Port'
  >;
  readonly runtime: PlantRuntime;
  readonly run: HydraulicRun;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Starts the PLC of one plant over its protocol; writes it accepts change the hydraulics. */
export async function servePlant(o: ServePlantOptions): Promise<PlantServer> {
  const { definition: plant, settings: s, nth, clock } = o;
  const logger = o.logger.child({ plant: plant.id });
  const port = (base: number): number => (base === 0 ? 0 : base + nth);
  const onCommand = (point: PlantPoint, value: PointValue): boolean =>
    applyCommand(point, value, o.runtime, o.run, o.logger);
  switch (o.protocol) {
    case 's7':
      return S7PlantServer.start({ plant, host: s.host, port: port(s.s7Port), logger, onCommand });
    case 'iec104':
      return Iec104PlantServer.start({
        plant,
        host: s.host,
        port: port(s.iec104Port),
        logger,
        clock,
        onCommand,
      });
    case 'opcua':
      return OpcuaPlantServer.start({
        plant,
        host: s.host,
        port: port(s.opcuaPort),
        pkiDir: s.opcuaPkiDir ?? join(tmpdir(), 'watershed-sim-opcua-pki'),
        logger,
        clock,
        onCommand,
      });
    case 'modbus-tcp':
      return ModbusPlantServer.start({
        unitId: plant.unitId,
        points: o.registers,
        host: s.host,
        port: port(s.modbusPort),
        logger,
        onCommand: (m, value) => onCommand(m.point, value),
      });
  }
}

/** Applies a written value to the network; false when the process refuses it. */
function applyCommand(
  point: PlantPoint,
  value: PointValue,
  runtime: PlantRuntime,
  run: HydraulicRun,
  logger: Logger,
): boolean {
  const command = point.command;
  if (!command) return false;
  try {
    run.apply(actuationsFor(command, value, point.tag));
    runtime.hold(point.tag, value);
    return true;
  } catch (err) {
    // A rejected write leaves the model as it was; the next tick restores the register.
    logger.warn({ tag: point.tag, value, err: (err as Error).message }, 'write rejected');
    return false;
  }
}

/** A plant as its gateway's engineer sees it: where its PLC answers, and its tag table. */
export interface ServedPlant {
  readonly id: string;
  readonly site: string;
  readonly name: string;
  readonly protocol: PlantProtocol;
  readonly host: string;
  readonly port: number;
  /** The Modbus unit id (Modbus plants). */
  readonly unitId: number;
  /** `opc.tcp://host:port` (OPC UA plants). */
  readonly endpointUrl?: string;
  /** Common address of ASDU, the station address (IEC 104 plants; the plant's unit id). */
  readonly commonAddress?: number;
  /**
   * The tag table; addresses in the plant's protocol (Modbus `1!300001#LL`, OPC UA `ns=1;s=…`,
   * IEC 104 `M_ME_NC_1:16385`).
   */
  readonly tags: PlantTag[];
}

/** The served plant: the tag table carries the addresses of the plant's protocol. */
export function servedPlant(d: PlantDefinition, server: PlantServer, protocol: PlantProtocol): ServedPlant {
  const base = {
    id: d.id,
    site: d.site,
    name: d.name,
    protocol,
    host: server.host,
    port: server.port,
    unitId: d.unitId,
  };
  switch (protocol) {
    case 's7': {
      const s7 = mapS7(d); // keeps tag-table order
      return { ...base, tags: tagsOf(d).map((t, k) => ({ ...t, address: s7[k]!.address })) };
    }
    case 'iec104': {
      const address = new Map(mapIec104(d).map((p) => [p.point.tag, p.address] as const));
      const tags = tagsOf(d).map((t) => ({ ...t, address: address.get(t.tag) ?? t.address }));
      return { ...base, commonAddress: d.unitId, tags };
    }
    case 'opcua':
      return {
        ...base,
        endpointUrl: `opc.tcp://${server.host}:${server.port}`,
        tags: tagsOf(d).map((t) => ({ ...t, address: nodeIdOf(d.id, t.tag) })),
      };
    case 'modbus-tcp':
      return { ...base, tags: tagsOf(d) };
  }
}
