/**
 * The S7 client driver: reads coalesced into as few Read Var jobs as the negotiated PDU allows,
 * one Write Var job per write, one link with reconnection. Item return codes become bad samples;
 * a coalesced range that fails is read again tag by tag, so one bad address (a DB too short, a
 * DB that does not exist) does not take its neighbours down with it.
 */
import { isWatershedError, type Logger } from '@watershed/common';
import type {
  Driver,
  DriverContext,
  DriverHealth,
  Readable,
  TagRef,
  Transport,
  Writable,
} from '@watershed/driver-sdk';
import { badSample, goodSample, type Sample, type SampleValue } from '@watershed/model';
import { parseAddress, type S7Address } from './address.js';
import { S7Link } from './client/link.js';
import {
  decodeDataItems,
  decodeWriteAck,
  encodeDataItems,
  encodeReadRequest,
  encodeWriteParam,
  returnCodeName,
  RETURN_OK,
  type ReadResult,
  type VarSpec,
} from './codec/s7comm.js';
import { tsaps, type S7Config } from './config.js';
import { S7Errors } from './errors.js';
import { planReads, type PlannedTag, type ReadRange } from './plan.js';
import { decodeValue, encodeValue } from './values.js';

function reasonOf(err: unknown): string {
  return isWatershedError(err) ? err.code : S7Errors.FRAME.code;
}

export class S7Driver implements Driver, Readable, Writable {
  readonly #link: S7Link;
  readonly #ctx: DriverContext;
  readonly #logger: Logger;
  readonly #maxGap: number;
  readonly #maxItems: number;
  /** Parsed addresses by "address|dataType": tag lists repeat every poll cycle. */
  readonly #addresses = new Map<string, S7Address | string>();

  constructor(transport: Transport, config: S7Config, ctx: DriverContext) {
    this.#ctx = ctx;
    this.#logger = ctx.logger.child({ driver: 's7', device: transport.description });
    this.#maxGap = config.maxGap ?? 32;
    this.#maxItems = config.maxItemsPerRead ?? 20;
    const { local, remote } = tsaps(config);
    const backoffMinMs = config.backoffMinMs ?? 500;
    this.#link = new S7Link({
      transport,
      clock: ctx.clock,
      logger: this.#logger,
      localTsap: local,
      remoteTsap: remote,
      pduSize: config.pduSize ?? 480,
      timeoutMs: config.timeoutMs ?? 3000,
      backoffMinMs,
      backoffMaxMs: Math.max(config.backoffMaxMs ?? 30_000, backoffMinMs),
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

  /** Resolves once the link is connected (or closed); for tests and start-up. */
  async connected(): Promise<void> {
    await this.#link.until((s) => s === 'connected' || s === 'closed');
  }

  /** The PDU length the PLC granted on the current connection; 0 while not connected. */
  get pduSize(): number {
    return this.#link.state === 'connected' ? this.#link.session().pduSize : 0;
  }

  async read(tags: readonly TagRef[], signal?: AbortSignal): Promise<Sample[]> {
    const samples = new Array<Sample>(tags.length);
    const planned: PlannedTag[] = [];
    tags.forEach((tag, index) => {
      const a = this.#resolve(tag);
      if (typeof a === 'string') samples[index] = badSample(this.#ctx.clock.now(), S7Errors.ADDRESS.code);
      else planned.push({ index, address: a });
    });
    if (planned.length === 0) return samples;
    if (this.#link.state !== 'connected') {
      const reason = reasonOf(this.#link.notConnected());
      for (const p of planned) samples[p.index] = badSample(this.#ctx.clock.now(), reason);
      return samples;
    }
    const retry = await this.#readPlanned(planned, this.#maxGap, samples, signal);
    // Tags that shared a failed range get a job of their own, so only the bad ones stay bad.
    if (retry.length > 0) await this.#readPlanned(retry, -1, samples, signal);
    return samples;
  }

  /**
   * Writes are not retried: a write that timed out may still have been applied, and whether to
   * send it again is the caller's decision.
   */
  async write(tag: TagRef, value: SampleValue, signal?: AbortSignal): Promise<void> {
    const a = this.#resolve(tag);
    if (typeof a === 'string') throw S7Errors.ADDRESS.create([tag.address, a]);
    const bytes = encodeValue(a, value);
    if (typeof bytes === 'string')
      throw S7Errors.WRITE_VALUE.create([JSON.stringify(value), tag.address, bytes]);
    const bit = a.type === 'BOOL';
    const spec: VarSpec = {
      area: a.areaCode,
      db: a.db,
      start: a.start,
      bit: a.bit,
      size: bit ? 'bit' : 'byte',
      count: bit ? 1 : bytes.length,
    };
    const { codes } = await this.#link.exchange(async (s) => {
      const r = await s.job(
        'Write Var',
        encodeWriteParam([spec]),
        encodeDataItems([{ returnCode: 0, bit, data: bytes }]),
        signal,
      );
      return { codes: decodeWriteAck(r.pdu.data, 1), rttMs: r.rttMs };
    }, signal);
    const code = codes[0]!;
    if (code !== RETURN_OK)
      throw S7Errors.ITEM.create([`write ${tag.address}`, returnCodeName(code), code.toString(16)], {
        returnCode: code,
      });
  }

  /** Reads planned tags into `samples`; returns the tags of failed multi-tag ranges to read again alone. */
  async #readPlanned(
    tags: PlannedTag[],
    maxGap: number,
    samples: Sample[],
    signal?: AbortSignal,
  ): Promise<PlannedTag[]> {
    let pduSize: number;
    try {
      pduSize = this.#link.session().pduSize;
    } catch (err) {
      for (const t of tags) samples[t.index] = badSample(this.#ctx.clock.now(), reasonOf(err));
      return [];
    }
    const plan = planReads(tags, { pduSize, maxGap, maxItems: this.#maxItems });
    const results = new Map<VarSpec, ReadResult | Error>();
    for (const job of plan.jobs) {
      try {
        const { items } = await this.#link.exchange(async (s) => {
          const r = await s.job('Read Var', encodeReadRequest(job), undefined, signal);
          return { items: decodeDataItems(r.pdu.data, job.length), rttMs: r.rttMs };
        }, signal);
        job.forEach((spec, i) => results.set(spec, items[i]!));
      } catch (err) {
        for (const spec of job) results.set(spec, err as Error);
      }
    }
    const retry: PlannedTag[] = [];
    for (const range of plan.ranges) {
      const outcome = this.#assemble(range, results);
      const ts = this.#ctx.clock.now();
      if (outcome instanceof Uint8Array) {
        for (const t of range.tags)
          samples[t.index] = goodSample(ts, decodeValue(t.address, outcome, t.address.start - range.start));
      } else if (typeof outcome === 'number' && range.tags.length > 1) {
        retry.push(...range.tags);
      } else {
        const reason = typeof outcome === 'number' ? S7Errors.ITEM.code : reasonOf(outcome);
        if (typeof outcome === 'number') {
          this.#logger.warn(
            { area: range.areaCode, db: range.db, start: range.start, returnCode: outcome },
            returnCodeName(outcome),
          );
        }
        for (const t of range.tags) samples[t.index] = badSample(ts, reason);
      }
    }
    return retry;
  }

  /** The range's bytes, the first failing item return code, or the error that failed its job. */
  #assemble(range: ReadRange, results: Map<VarSpec, ReadResult | Error>): Uint8Array | number | Error {
    const out = new Uint8Array(range.length);
    let at = 0;
    for (const spec of range.items) {
      const r = results.get(spec);
      if (r === undefined) return S7Errors.FRAME.create(['no answer for a planned item']);
      if (r instanceof Error) return r;
      if (r.returnCode !== RETURN_OK) return r.returnCode;
      if (r.data.length !== spec.count)
        return S7Errors.FRAME.create([`item answered ${r.data.length} of ${spec.count} bytes`]);
      out.set(r.data, at);
      at += spec.count;
    }
    return out;
  }

  #resolve(tag: TagRef): S7Address | string {
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
