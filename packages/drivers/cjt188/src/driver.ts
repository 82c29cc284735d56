/**
 * The CJ/T 188 master driver: meters behind one concentrator or transparent DTU. A read asks each
 * meter named by the tags once for 901FH and answers every tag of that meter from the one reply;
 * the bus session keeps one conversation on the wire at a time, the meter guard retries timeouts
 * and suspends meters that stay silent so they do not stall the others, and the link reconnects.
 */
import type { Logger } from '@watershed/common';
import type {
  Browsable,
  BrowseNode,
  Driver,
  DriverContext,
  DriverHealth,
  Readable,
  TagRef,
  Writable,
} from '@watershed/driver-sdk';
import { badSample, goodSample, type Sample, type SampleValue } from '@watershed/model';
import { FIELDS, parseAddress, type MeterAddress } from './address.js';
import { Link } from './client/link.js';
import { MeterGuard } from './client/meter-guard.js';
import type { Exchange } from './client/session.js';
import type { Transport } from './client/transport.js';
import { BROADCAST_ADDRESS } from './codec/address.js';
import { isAbnormal, type Frame } from './codec/frame.js';
import {
  decodeMeterData,
  decodeStatus,
  describeDi,
  formatMeterTime,
  readAddressRequest,
  readDataRequest,
  toCubicMetres,
  valveRequest,
  type MeterData,
} from './codec/messages.js';
import type { Cjt188Config } from './config.js';
import { Cjt188Errors } from './errors.js';

export type Cjt188Settings = Omit<Cjt188Config, 'host' | 'port' | 'connectTimeoutMs'>;

export class Cjt188Driver implements Driver, Readable, Writable, Browsable {
  readonly #link: Link;
  readonly #guard: MeterGuard;
  readonly #ctx: DriverContext;
  readonly #logger: Logger;
  readonly #meterType: number;
  readonly #timeoutMs: number;
  readonly #addresses = new Map<string, MeterAddress | string>();

  constructor(transport: Transport, settings: Cjt188Settings, ctx: DriverContext) {
    this.#ctx = ctx;
    this.#logger = ctx.logger.child({ driver: 'cjt188', device: transport.description });
    this.#meterType = settings.meterType ?? 0x10;
    this.#timeoutMs = settings.timeoutMs ?? 2000;
    const backoffMinMs = settings.backoffMinMs ?? 500;
    this.#link = new Link({
      transport,
      clock: ctx.clock,
      logger: this.#logger,
      preamble: settings.preamble ?? 2,
      backoffMinMs,
      backoffMaxMs: Math.max(settings.backoffMaxMs ?? 30_000, backoffMinMs),
    });
    const suspendMinMs = settings.meterSuspendMinMs ?? 10_000;
    this.#guard = new MeterGuard(
      {
        retries: settings.retries ?? 1,
        failThreshold: settings.meterFailThreshold ?? 3,
        suspendMinMs,
        suspendMaxMs: Math.max(settings.meterSuspendMaxMs ?? 600_000, suspendMinMs),
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

  /** Resolves once the link is connected (or closed); for tests and start-up. */
  async connected(): Promise<void> {
    await this.#link.until((s) => s === 'connected' || s === 'closed');
  }

  meterSuspended(meter: string): boolean {
    return this.#guard.suspended(meter);
  }

  async read(tags: readonly TagRef[], signal?: AbortSignal): Promise<Sample[]> {
    const out: Sample[] = new Array<Sample>(tags.length);
    const byMeter = new Map<string, { index: number; address: MeterAddress }[]>();
    tags.forEach((tag, index) => {
      const a = this.#resolve(tag);
      if (typeof a === 'string') {
        out[index] = badSample(this.#ctx.clock.now(), Cjt188Errors.ADDRESS.code);
        return;
      }
      let list = byMeter.get(a.meter);
      if (!list) byMeter.set(a.meter, (list = []));
      list.push({ index, address: a });
    });
    // All meters are queued at once; the session still puts one request at a time on the bus.
    await Promise.all(
      [...byMeter].map(async ([meter, wanted]) => {
        let data: MeterData | undefined;
        let reason = '';
        try {
          data = await this.#readMeter(meter, signal);
        } catch (err) {
          reason = (err as { code?: string }).code ?? 'WS_ERR_INTERNAL';
        }
        // The meter's clock has no zone and drifts; samples carry the time we received them.
        const ts = this.#ctx.clock.now();
        for (const { index, address } of wanted) {
          const value = data === undefined ? undefined : fieldValue(data, address);
          out[index] =
            value === undefined ? badSample(ts, reason || Cjt188Errors.FRAME.code) : goodSample(ts, value);
        }
      }),
    );
    return out;
  }

  /**
   * `valve_open` only. Sends A017H (55H open, 99H close) and checks the valve state in the
   * meter's answer. Not retried: a command that timed out may still have been carried out.
   */
  async write(tag: TagRef, value: SampleValue, signal?: AbortSignal): Promise<void> {
    const a = this.#resolve(tag);
    if (typeof a === 'string') throw Cjt188Errors.ADDRESS.create([tag.address, a]);
    if (!FIELDS[a.field].writable)
      throw Cjt188Errors.WRITE_VALUE.create([String(value), tag.address, 'read-only field']);
    if (typeof value !== 'boolean')
      throw Cjt188Errors.WRITE_VALUE.create([String(value), tag.address, 'valve_open takes true or false']);
    const ex = await this.#request(a.meter, valveRequest(this.#meterType, a.meter, 0, value), false, signal);
    const status = decodeStatus(ex.frame.payload);
    if (status.valve !== (value ? 'open' : 'closed'))
      throw Cjt188Errors.VALVE.create([a.meter, value ? 'open' : 'close', status.valve], {
        status: status.raw,
      });
  }

  /**
   * Broadcast address read (810AH to AAAAAAAAAAAAAAH): on a point-to-point line the one meter
   * answers with its address. With several meters on a bus their answers collide, so this finds
   * a meter only where one is alone; an empty list means nobody answered in time.
   */
  async browse(signal?: AbortSignal): Promise<BrowseNode[]> {
    let ex: Exchange;
    try {
      ex = await this.#link.request(
        readAddressRequest(this.#meterType, BROADCAST_ADDRESS, 0),
        this.#timeoutMs,
        signal,
      );
    } catch (err) {
      if (Cjt188Errors.TIMEOUT.is(err)) return [];
      throw err;
    }
    const meter = ex.frame.address;
    return [
      {
        address: meter,
        name: `meter ${meter}`,
        children: Object.entries(FIELDS).map(([field, spec]) => ({
          address: `${meter}:${field}`,
          name: field,
          dataType: spec.types[0],
          writable: spec.writable,
        })),
      },
    ];
  }

  async #readMeter(meter: string, signal?: AbortSignal): Promise<MeterData> {
    const ex = await this.#request(meter, readDataRequest(this.#meterType, meter, 0), true, signal);
    const data = decodeMeterData(ex.frame.payload);
    if (typeof data === 'string') {
      this.#logger.warn({ meter, reason: data }, 'undecodable 901FH answer');
      throw Cjt188Errors.FRAME.create([data]);
    }
    return data;
  }

  #request(
    meter: string,
    frame: Omit<Frame, 'ser'>,
    retry: boolean,
    signal?: AbortSignal,
  ): Promise<Exchange> {
    return this.#guard.run(
      meter,
      async () => {
        const ex = await this.#link.request(frame, this.#timeoutMs, signal);
        if (isAbnormal(ex.frame)) throw Cjt188Errors.METER_ERROR.create([meter, describeDi(frame.di)]);
        return ex;
      },
      retry,
    );
  }

  #resolve(tag: TagRef): MeterAddress | string {
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

function fieldValue(d: MeterData, a: MeterAddress): SampleValue | undefined {
  switch (a.field) {
    case 'total':
      return toCubicMetres(d.total, d.unit);
    case 'settlement_total':
      return toCubicMetres(d.settlementTotal, d.settlementUnit);
    case 'meter_time':
      return formatMeterTime(d.time);
    case 'valve_open':
      return d.status.valve === 'abnormal' ? undefined : d.status.valve === 'open';
    case 'battery_low':
      return d.status.batteryLow;
    case 'status':
      return d.status.raw;
  }
}
