/**
 * The Modbus TCP driver module: one device (host:port) per driver instance, any number of unit
 * ids behind it (a gateway), reads coalesced per unit and area, writes with FC 5/6/16.
 */
import type { Logger } from '@watershed/common';
import type {
  DriverContext,
  DriverHealth,
  DriverModule,
  Readable,
  TagRef,
  Writable,
  Driver,
} from '@watershed/driver-sdk';
import type { DataType, Sample, SampleValue } from '@watershed/model';
import { Type, type Static } from 'typebox';
import { parseAddress, type ModbusAddress } from './address.js';
import { mbapFraming, rtuFraming } from './client/framing.js';
import { Link } from './client/link.js';
import { readTags } from './client/read.js';
import { createTcpTransport } from './client/tcp-transport.js';
import type { Transport } from './client/transport.js';
import { writeRequest } from './client/write.js';
import { ModbusErrors } from './errors.js';
import type { PlanOptions } from './plan.js';

export const ModbusTcpConfig = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'device or gateway address' }),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: 502 })),
    framing: Type.Optional(
      Type.Union([Type.Literal('mbap'), Type.Literal('rtu')], {
        default: 'mbap',
        description: 'mbap = Modbus TCP; rtu = RTU frames tunnelled over TCP (serial servers, DTUs)',
      }),
    ),
    timeoutMs: Type.Optional(
      Type.Integer({
        minimum: 10,
        maximum: 60_000,
        default: 3000,
        description: 'response timeout per request',
      }),
    ),
    connectTimeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000, default: 3000 })),
    maxInFlight: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 16,
        default: 1,
        description: 'requests outstanding at once (MBAP only); 1 is kind to PLCs',
      }),
    ),
    maxRegistersPerRead: Type.Optional(Type.Integer({ minimum: 1, maximum: 125, default: 125 })),
    maxBitsPerRead: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 2000 })),
    maxGap: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 125,
        default: 0,
        description: 'unrequested registers a read may span to join two tags',
      }),
    ),
    backoffMinMs: Type.Optional(
      Type.Integer({ minimum: 10, default: 500, description: 'first reconnect delay' }),
    ),
    backoffMaxMs: Type.Optional(
      Type.Integer({ minimum: 10, default: 30_000, description: 'reconnect delay cap' }),
    ),
  },
  { additionalProperties: false },
);
export type ModbusTcpConfig = Static<typeof ModbusTcpConfig>;

export const modbusTcpDriver: DriverModule<ModbusTcpConfig, ModbusClientDriver> = {
  id: 'modbus-tcp',
  version: '0.1.0',
  description: 'Modbus TCP (and RTU over TCP) client: FC 1–6, 15, 16; Neuron-compatible addresses',
  configSchema: ModbusTcpConfig,
  checkAddress(address: string, dataType: DataType) {
    const r = parseAddress(address, dataType);
    return r.ok ? { ok: true } : { ok: false, message: r.message };
  },
  create(config: ModbusTcpConfig, ctx: DriverContext): ModbusClientDriver {
    const transport = createTcpTransport({
      host: config.host,
      port: config.port ?? 502,
      connectTimeoutMs: config.connectTimeoutMs ?? 3000,
      clock: ctx.clock,
    });
    return new ModbusClientDriver(transport, config, ctx);
  },
};

/** Settings shared by every Modbus client driver, whatever its transport. */
export type ModbusClientSettings = Omit<ModbusTcpConfig, 'host' | 'port' | 'connectTimeoutMs'>;

/** A Modbus client over any transport; `modbusTcpDriver` gives it a TCP socket. */
export class ModbusClientDriver implements Driver, Readable, Writable {
  readonly #link: Link;
  readonly #ctx: DriverContext;
  readonly #plan: PlanOptions;
  readonly #logger: Logger;
  /** Parsed addresses by "address|dataType": tag lists repeat every poll cycle. */
  readonly #addresses = new Map<string, ModbusAddress | string>();

  constructor(transport: Transport, settings: ModbusClientSettings, ctx: DriverContext) {
    this.#ctx = ctx;
    this.#logger = ctx.logger.child({ driver: 'modbus', device: transport.description });
    this.#plan = {
      maxRegisters: settings.maxRegistersPerRead ?? 125,
      maxBits: settings.maxBitsPerRead ?? 2000,
      maxGap: settings.maxGap ?? 0,
    };
    this.#link = new Link({
      transport,
      framing: settings.framing === 'rtu' ? rtuFraming : mbapFraming,
      clock: ctx.clock,
      logger: this.#logger,
      timeoutMs: settings.timeoutMs ?? 3000,
      maxInFlight: settings.maxInFlight ?? 1,
      backoffMinMs: settings.backoffMinMs ?? 500,
      backoffMaxMs: Math.max(settings.backoffMaxMs ?? 30_000, settings.backoffMinMs ?? 500),
    });
  }

  connect(): Promise<void> {
    return this.#link.start();
  }

  close(): Promise<void> {
    return this.#link.close();
  }

  health(): DriverHealth {
    return this.#link.health();
  }

  /** Resolves once the link is connected (or closed); a convenience for tests and start-up. */
  async connected(): Promise<void> {
    await this.#link.until((s) => s === 'connected' || s === 'closed');
  }

  async read(tags: readonly TagRef[], signal?: AbortSignal): Promise<Sample[]> {
    return readTags(
      tags,
      (tag) => this.#resolve(tag),
      (unitId, request, s) => this.#link.request(unitId, request, s),
      this.#ctx.clock,
      this.#plan,
      signal,
    );
  }

  async write(tag: TagRef, value: SampleValue, signal?: AbortSignal): Promise<void> {
    const a = this.#resolve(tag);
    if (typeof a === 'string') throw ModbusErrors.ADDRESS.create([tag.address, a]);
    await this.#link.request(a.unitId, writeRequest(tag.address, a, value), signal);
  }

  #resolve(tag: TagRef): ModbusAddress | string {
    const key = `${tag.address}|${tag.dataType}`;
    let a = this.#addresses.get(key);
    if (a === undefined) {
      const r = parseAddress(tag.address, tag.dataType);
      a = r.ok ? r.address : r.message;
      if (!r.ok) this.#logger.warn({ tag: tag.name, address: tag.address }, r.message);
      this.#addresses.set(key, a);
    }
    return a;
  }
}
