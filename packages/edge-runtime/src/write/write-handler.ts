import { isWatershedError, type Clock, type Logger, type WatershedError } from '@watershed/common';
import { isWritable, type TagRef } from '@watershed/driver-sdk';
import { parsePointId, type SampleValue, type WriteRequest, type WriteResult } from '@watershed/model';
import { EdgeErrors } from '../errors.js';
import type { PlantTag } from '../plant.js';
import { scale } from '../tag-processor.js';
import { readBackMatches, toRawValue } from './write-value.js';

export interface WriteStats {
  requests: number;
  ok: number;
  /** Refused before anything was written: expired, unknown, read-only, bad value, no driver support. */
  refused: number;
  /** Written or attempted, but the write or its read-back did not confirm the value. */
  failed: number;
}

export interface WriteHandlerOptions {
  site: string;
  node: string;
  clock: Clock;
  logger: Logger;
  /** Bound on the write plus its read-back, ms. */
  timeoutMs: number;
  /** How many recent request ids are remembered. */
  cacheSize: number;
  /** Finds a tag in the plant running now (it changes with each applied config). */
  lookup: (group: string, tag: string) => PlantTag | undefined;
}

/**
 * Carries out remote writes: checks the request (deadline, point of this gateway, writable tag,
 * type, write limits), writes through the device's driver, reads the value back and compares.
 * Every request id gets exactly one outcome: a repeated id (QoS 1 redelivery, a console retry)
 * is answered from a bounded cache of recent results, or joins the write still in progress,
 * and is never written twice.
 */
export class WriteHandler {
  readonly #opts: WriteHandlerOptions;
  readonly #recent = new Map<string, Promise<WriteResult>>();
  readonly #stats: WriteStats = { requests: 0, ok: 0, refused: 0, failed: 0 };

  constructor(opts: WriteHandlerOptions) {
    this.#opts = opts;
  }

  get stats(): Readonly<WriteStats> {
    return this.#stats;
  }

  handle(req: WriteRequest): Promise<WriteResult> {
    const known = this.#recent.get(req.id);
    if (known) return known;
    this.#stats.requests++;
    const result = this.#execute(req);
    this.#recent.set(req.id, result);
    while (this.#recent.size > this.#opts.cacheSize) {
      const oldest = this.#recent.keys().next().value;
      if (oldest === undefined) break;
      this.#recent.delete(oldest);
    }
    return result;
  }

  async #execute(req: WriteRequest): Promise<WriteResult> {
    const { clock, logger } = this.#opts;
    const refuse = (error: WatershedError): WriteResult => {
      this.#stats.refused++;
      logger.warn({ id: req.id, point: req.point, code: error.code }, `write refused: ${error.message}`);
      return this.#result(req, false, error);
    };
    const late = clock.now() - req.deadline;
    if (late > 0) return refuse(EdgeErrors.WRITE_EXPIRED.create([req.id, late]));
    const addr = parsePointId(req.point);
    const target =
      addr && addr.site === this.#opts.site && addr.node === this.#opts.node
        ? this.#opts.lookup(addr.group, addr.tag)
        : undefined;
    if (!target) return refuse(EdgeErrors.WRITE_UNKNOWN_POINT.create([req.point]));
    const { tag, driver } = target;
    if (tag.writable !== true) return refuse(EdgeErrors.WRITE_READ_ONLY.create([req.point]));
    if (req.expectedType !== undefined && req.expectedType !== tag.dataType) {
      return refuse(EdgeErrors.WRITE_TYPE.create([req.point, tag.dataType, req.expectedType]));
    }
    const raw = toRawValue(req.point, tag, req.value);
    if (!raw.ok) return refuse(raw.error);
    if (!isWritable(driver))
      return refuse(EdgeErrors.WRITE_UNSUPPORTED.create([target.driverId, target.device]));

    const ref: TagRef = { name: tag.name, address: tag.address, dataType: tag.dataType };
    const abort = new AbortController();
    const timeout = EdgeErrors.WRITE_TIMEOUT.create([req.point, this.#opts.timeoutMs]);
    const timer = clock.setTimeout(() => abort.abort(timeout), this.#opts.timeoutMs);
    const fail = (error: WatershedError, readBack?: SampleValue): WriteResult => {
      this.#stats.failed++;
      logger.warn({ id: req.id, point: req.point, code: error.code }, `write failed: ${error.message}`);
      return this.#result(req, false, error, readBack);
    };
    try {
      try {
        await bounded(driver.write(ref, raw.raw, abort.signal), abort.signal);
      } catch (err) {
        if (abort.signal.aborted) return fail(timeout);
        return fail(
          isWatershedError(err)
            ? err
            : EdgeErrors.WRITE_FAILED.create([req.point, (err as Error).message], undefined, err),
        );
      }
      let sample;
      try {
        [sample] = await bounded(driver.read([ref], abort.signal), abort.signal);
      } catch (err) {
        if (abort.signal.aborted) return fail(timeout);
        return fail(
          EdgeErrors.WRITE_READBACK_FAILED.create([req.point, (err as Error).message], undefined, err),
        );
      }
      if (!sample || sample.quality !== 'good') {
        return fail(EdgeErrors.WRITE_READBACK_FAILED.create([req.point, sample?.reason ?? 'no sample']));
      }
      const readBack = scale(tag, sample.value);
      if (!readBackMatches(tag, req.value, readBack)) {
        return fail(
          EdgeErrors.WRITE_READBACK.create([req.point, JSON.stringify(readBack), JSON.stringify(req.value)]),
          readBack,
        );
      }
      this.#stats.ok++;
      logger.info({ id: req.id, point: req.point, value: req.value }, 'remote write done and read back');
      return this.#result(req, true, undefined, readBack);
    } finally {
      clock.clearTimeout(timer);
    }
  }

  #result(req: WriteRequest, ok: boolean, error?: WatershedError, readBack?: SampleValue): WriteResult {
    return {
      v: 1,
      id: req.id,
      point: req.point,
      ok,
      ts: this.#opts.clock.now(),
      ...(error ? { code: error.code, message: error.message } : {}),
      ...(readBack !== undefined ? { readBack } : {}),
    };
  }
}

/** Settles with `p`, or rejects once `signal` aborts, for drivers that do not watch the signal. */
function bounded<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
