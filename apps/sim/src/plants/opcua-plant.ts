import { mkdir } from 'node:fs/promises';
import type { Clock, Logger } from '@watershed/common';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { DataValue } from 'node-opcua-data-value';
import { OPCUAServer } from 'node-opcua-server';
import { StatusCodes, type StatusCode } from 'node-opcua-status-code';
import { DataType, Variant, VariantArrayType } from 'node-opcua-variant';
import { MessageSecurityMode, SecurityPolicy } from 'node-opcua-secure-channel';
import { buildPlantSpace, nodeIdOf, UA_TYPE } from '../opcua/address-space.js';
import type { PlantDefinition, PlantPoint } from './plant.js';
import type { PointValue } from './plant-runtime.js';

export interface OpcuaPlantOptions {
  plant: PlantDefinition;
  host: string;
  /** 0 lets the OS choose. */
  port: number;
  /** Folder of the server's certificate store; the certificate is made on first use, then kept. */
  pkiDir: string;
  logger: Logger;
  clock: Clock;
  /**
   * A client wrote a writable point. Returns whether the process accepted it; a refused write
   * (e.g. a speed out of range) is answered with BadOutOfRange and changes nothing.
   */
  onCommand(point: PlantPoint, value: PointValue): boolean;
}

/**
 * One plant's PLC as an OPC UA server (node-opcua): the plant's tag table as variables under
 * Objects/Plants/{plant}/{group}/{tag} (see opcua/address-space.ts), refreshed from the plant's
 * readings every tick with the tick's time as source timestamp, and writes to writable points
 * turned into commands, so a write changes the hydraulics on the next step.
 */
export class OpcuaPlantServer {
  readonly #server: OPCUAServer;
  readonly #certs: OPCUACertificateManager;
  readonly #values = new Map<string, DataValue>();
  readonly #points: readonly PlantPoint[];
  readonly #plantId: string;
  readonly port: number;
  readonly host: string;

  private constructor(
    server: OPCUAServer,
    certs: OPCUACertificateManager,
    points: readonly PlantPoint[],
    plantId: string,
    host: string,
    values: Map<string, DataValue>,
  ) {
    this.#server = server;
    this.#certs = certs;
    this.#points = points;
    this.#plantId = plantId;
    this.#values = values;
    this.host = host;
    this.port = server.endpoints[0]?.port ?? 0;
  }

  static async start(opts: OpcuaPlantOptions): Promise<OpcuaPlantServer> {
    const { plant, logger } = opts;
    await mkdir(opts.pkiDir, { recursive: true });
    const certs = new OPCUACertificateManager({
      rootFolder: opts.pkiDir,
      // A simulator: any gateway may connect, secured or not.
      automaticallyAcceptUnknownCertificate: true,
    });
    const server = new OPCUAServer({
      host: opts.host,
      hostname: opts.host,
      port: opts.port,
      serverCertificateManager: certs,
      allowAnonymous: true,
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      buildInfo: { productName: `Watershed simulated PLC (${plant.name})`, manufacturerName: 'Watershed' },
    });
    const values = new Map<string, DataValue>();
    try {
      await server.initialize();
      const addressSpace = server.engine.addressSpace!;
      const ns = addressSpace.getOwnNamespace();
      buildPlantSpace(ns, addressSpace.rootFolder.objects, plant, plant.points, {
        bind(variable, point) {
          values.set(point.tag, new DataValue({ statusCode: StatusCodes.UncertainInitialValue }));
          variable.bindVariable(
            {
              timestamped_get: () => values.get(point.tag)!,
              ...(point.writable
                ? {
                    timestamped_set: (dv: DataValue): Promise<StatusCode> =>
                      Promise.resolve(write(point, dv, values, opts)),
                  }
                : {}),
            },
            true,
          );
        },
      });
      await server.start();
    } catch (err) {
      await server.shutdown(0).catch(() => undefined);
      await certs.dispose();
      throw err;
    }
    logger.info({ plant: plant.id, port: server.endpoints[0]?.port }, 'OPC UA plant server started');
    return new OpcuaPlantServer(server, certs, plant.points, plant.id, opts.host, values);
  }

  get endpointUrl(): string {
    return `opc.tcp://${this.host}:${this.port}`;
  }

  /** NodeId of a tag, as a gateway's tag list addresses it. */
  nodeIdOf(tag: string): string {
    return nodeIdOf(this.#plantId, tag);
  }

  /** Serves the readings with `ts` (ms epoch) as their source time; points without a reading keep theirs. */
  publish(values: Readonly<Record<string, PointValue>>, ts: number): void {
    const at = new Date(ts);
    for (const p of this.#points) {
      const v = values[p.tag];
      if (v === undefined) continue;
      this.#values.set(
        p.tag,
        new DataValue({
          value: variantOf(p, v),
          statusCode: StatusCodes.Good,
          sourceTimestamp: at,
          serverTimestamp: at,
        }),
      );
    }
  }

  async close(): Promise<void> {
    await this.#server.shutdown(0);
    await this.#certs.dispose();
  }
}

function variantOf(p: PlantPoint, v: PointValue): Variant {
  const dataType = DataType[UA_TYPE[p.dataType] as keyof typeof DataType];
  const value = p.dataType === 'bool' ? v === true || v === 1 : Number(v);
  return new Variant({ dataType, arrayType: VariantArrayType.Scalar, value });
}

/** Part 4 §5.10.4: a write answers per node; a refused command is BadOutOfRange. */
function write(
  point: PlantPoint,
  dv: DataValue,
  values: Map<string, DataValue>,
  opts: OpcuaPlantOptions,
): StatusCode {
  const raw: unknown = dv.value.value;
  const value: PointValue | undefined =
    typeof raw === 'boolean' ? raw : typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
  if (value === undefined) return StatusCodes.BadTypeMismatch;
  opts.logger.info({ tag: point.tag, value }, 'OPC UA write');
  if (!opts.onCommand(point, value)) return StatusCodes.BadOutOfRange;
  // Until the next tick the written value is what a client reads back.
  values.set(
    point.tag,
    new DataValue({
      value: variantOf(point, value),
      statusCode: StatusCodes.Good,
      sourceTimestamp: new Date(opts.clock.now()),
    }),
  );
  return StatusCodes.Good;
}
