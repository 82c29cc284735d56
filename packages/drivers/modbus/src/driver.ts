/**
 * A Modbus client driver over any transport: reads coalesced per unit and area, writes with
 * FC 5/6/16, per-unit retries and suspension, one link with reconnection. The modules in
 * modules.ts give it a TCP socket or a serial port.
 */
import type { Logger } from '@watershed/common';
import type { Driver, DriverContext, DriverHealth, Readable, TagRef, Writable } from '@watershed/driver-sdk';
import type { Sample, SampleValue } from '@watershed/model';
import { parseAddress, type ModbusAddress } from './address.js';
import type { Request } from './codec/pdu.js';
import { mbapFraming, rtuFraming } from './client/framing.js';
import { Link } from './client/link.js';
import { readTags } from './client/read.js';
import type { Exchange } from './client/session.js';
import type { Transport } from './client/transport.js';
import { UnitGuard } from './client/unit-guard.js';
import { writeRequest } from './client/write.js';
import type { ClientSettings } from './config.js';
import { ModbusErrors } from './errors.js';
import type { PlanOptions } from './plan.js';

export class ModbusClientDriver implements Driver, Readable, Writable {
  readonly #link: Link;
  readonly #guard: UnitGuard;
  readonly #ctx: DriverContext;
  readonly #plan: PlanOptions;
  readonly #logger: Logger;
  /** Parsed addresses by "address|dataType": tag lists repeat every poll cycle. */
  readonly #addresses = new Map<string, ModbusAddress | string>();

  constructor(transport: Transport, settings: ClientSettings, ctx: DriverContext) {
    this.#ctx = ctx;
    this.#logger = ctx.logger.child({ driver: 'modbus', device: transport.description });
    this.#plan = {
      maxRegisters: settings.maxRegistersPerRead ?? 125,
      maxBits: settings.maxBitsPerRead ?? 2000,
      maxGap: settings.maxGap ?? 0,
    };
    const backoffMinMs = settings.backoffMinMs ?? 500;
    this.#link = new Link({
      transport,
      framing: settings.framing === 'rtu' ? rtuFraming : mbapFraming,
      clock: ctx.clock,
      logger: this.#logger,
      timeoutMs: settings.timeoutMs ?? 3000,
      maxInFlight: settings.maxInFlight ?? 1,
      backoffMinMs,
      backoffMaxMs: Math.max(settings.backoffMaxMs ?? 30_000, backoffMinMs),
    });
    const suspendMinMs = settings.unitSuspendMinMs ?? 5000;
    this.#guard = new UnitGuard(
      {
        retries: settings.retries ?? 0,
        failThreshold: settings.unitFailThreshold ?? 3,
        suspendMinMs,
        suspendMaxMs: Math.max(settings.unitSuspendMaxMs ?? 60_000, suspendMinMs),
      },
      ctx.clock,
    );
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

  /** Whether a unit is suspended after repeated failures. */
  unitSuspended(unitId: number): boolean {
    return this.#guard.suspended(unitId);
  }

  read(tags: readonly TagRef[], signal?: AbortSignal): Promise<Sample[]> {
    return readTags(
      tags,
      (tag) => this.#resolve(tag),
      (unitId, request, s) => this.#request(unitId, request, true, s),
      this.#ctx.clock,
      this.#plan,
      signal,
    );
  }

  /**
   * Writes are not retried: a write that timed out may still have been applied, and whether to
   * send it again is the caller's decision.
   */
  async write(tag: TagRef, value: SampleValue, signal?: AbortSignal): Promise<void> {
    const a = this.#resolve(tag);
    if (typeof a === 'string') throw ModbusErrors.ADDRESS.create([tag.address, a]);
    await this.#request(a.unitId, writeRequest(tag.address, a, value), false, signal);
  }

  #request(unitId: number, request: Request, retry: boolean, signal?: AbortSignal): Promise<Exchange> {
    return this.#guard.run(unitId, () => this.#link.request(unitId, request, signal), retry);
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
