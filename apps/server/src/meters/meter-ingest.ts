import type { Logger } from '@watershed/common';
import type { MeterReading } from '@watershed/model';
import type { SampleRow, Store } from '@watershed/store';
import type { MeterVendorConfig } from './config.js';
import { districtResolver, type DistrictResolver } from './district.js';
import { MeterErrors } from './errors.js';
import type { MeterMetrics } from './meter-metrics.js';
import type { MeterDecoder } from './json-decoder.js';
import { readingRows, seriesOf } from './meter-points.js';
import type { MeterRegistry } from './meter-registry.js';
import { decoderFor } from './presets.js';

export interface MeterItemError {
  index: number;
  code: string;
  message: string;
}

export interface MeterIngestResult {
  accepted: number;
  rejected: number;
  errors: MeterItemError[];
}

export interface MeterVendorStats {
  /** Items (readings) received, good or not. */
  received: number;
  accepted: number;
  rejected: number;
  /** Refusals by error code. */
  refusals: Record<string, number>;
  /** Batches the store failed to take (their readings are neither accepted nor rejected). */
  storeErrors: number;
}

interface VendorRuntime {
  readonly config: MeterVendorConfig;
  readonly decoder: MeterDecoder;
  readonly district: DistrictResolver;
  readonly stats: MeterVendorStats;
}

interface Decoded {
  reading: MeterReading;
  district: string;
}

/**
 * Vendor payloads → stored readings, whatever transport brought them: decode, place in a
 * district, register the meter's points on first sight, write. A refused item is counted by
 * its code and reported, never thrown; only a store failure rejects (the transport then leaves
 * the batch unacknowledged so the sender retries).
 *
 * Duplicates (same meter and time) are written again: the store is idempotent on (point, ts),
 * so a vendor's retry stores nothing twice. Late and out-of-order readings are stored at the
 * meter's own time like any other.
 */
export class MeterIngest {
  readonly #vendors = new Map<string, VendorRuntime>();
  readonly #store: Store;
  readonly #registry: MeterRegistry;
  readonly #logger: Logger;
  readonly #emit: (rows: readonly SampleRow[]) => void;
  readonly #metrics: MeterMetrics | undefined;

  constructor(opts: {
    vendors: readonly MeterVendorConfig[];
    store: Store;
    registry: MeterRegistry;
    logger: Logger;
    /** Stored rows, for the live feed (alarms, dashboards). */
    emit?: (rows: readonly SampleRow[]) => void;
    metrics?: MeterMetrics;
  }) {
    this.#store = opts.store;
    this.#registry = opts.registry;
    this.#logger = opts.logger;
    this.#emit = opts.emit ?? (() => undefined);
    this.#metrics = opts.metrics;
    for (const config of opts.vendors) {
      this.#vendors.set(config.id, {
        config,
        decoder: decoderFor(config.decoder),
        district: districtResolver(config.district, config.id, opts.registry),
        stats: { received: 0, accepted: 0, rejected: 0, refusals: {}, storeErrors: 0 },
      });
    }
  }

  /** Per vendor; copies. */
  stats(): Record<string, MeterVendorStats> {
    return Object.fromEntries(
      [...this.#vendors].map(([id, v]) => [id, { ...v.stats, refusals: { ...v.stats.refusals } }]),
    );
  }

  /**
   * Counts an item refused before it could be decoded (an MQTT payload that is not JSON).
   * Returns the item error.
   */
  refuse(vendor: string, error: { code: string; message: string }): MeterItemError {
    const v = this.#runtime(vendor);
    v.stats.received++;
    this.#count(v, error.code);
    return { index: 0, code: error.code, message: error.message };
  }

  /**
   * Ingests one vendor's items. Resolves once the accepted readings are durable in the store;
   * rejects with WS_ERR_METER_STORE_FAILED when they could not be stored.
   */
  async ingest(vendor: string, items: readonly unknown[]): Promise<MeterIngestResult> {
    const v = this.#runtime(vendor);
    v.stats.received += items.length;
    const good: Decoded[] = [];
    const errors: MeterItemError[] = [];
    items.forEach((item, index) => {
      const decoded = v.decoder.decode(item);
      const placed = decoded.ok ? v.district(item, decoded.reading.meter) : decoded;
      if (decoded.ok && placed.ok) {
        good.push({ reading: decoded.reading, district: placed.district });
      } else if (!placed.ok) {
        this.#count(v, placed.error.code);
        errors.push({ index, code: placed.error.code, message: placed.error.message });
      }
    });
    if (errors.length > 0)
      this.#logger.warn(
        { vendor, refused: errors.length, of: items.length, first: errors[0] },
        'vendor meter readings refused',
      );
    if (good.length > 0) await this.#persist(v, good);
    v.stats.accepted += good.length;
    this.#metrics?.accepted(vendor, good.length);
    return { accepted: good.length, rejected: errors.length, errors };
  }

  async #persist(v: VendorRuntime, good: readonly Decoded[]): Promise<void> {
    const vendor = v.config.id;
    const rows: SampleRow[] = [];
    const declarations = new Map<string, Promise<void>>();
    for (const { reading, district } of good) {
      rows.push(...readingRows(district, vendor, reading));
      const key = `${district}/${reading.meter}/${seriesOf(reading).join(',')}`;
      if (!declarations.has(key))
        declarations.set(key, this.#registry.ensure(vendor, reading.meter, district, seriesOf(reading)));
    }
    try {
      // Points first, so a reader never meets samples of an undeclared point.
      await Promise.all(declarations.values());
      await this.#store.writeSamples(rows);
    } catch (err) {
      v.stats.storeErrors++;
      this.#metrics?.storeFailed(vendor);
      this.#logger.error({ vendor, err: (err as Error).message }, 'vendor meter readings not stored');
      throw MeterErrors.STORE_FAILED.create([(err as Error).message], undefined, err);
    }
    this.#emit(rows);
  }

  #runtime(vendor: string): VendorRuntime {
    const v = this.#vendors.get(vendor);
    if (!v) throw new Error(`meter vendor "${vendor}" is not configured`);
    return v;
  }

  #count(v: VendorRuntime, code: string): void {
    v.stats.rejected++;
    v.stats.refusals[code] = (v.stats.refusals[code] ?? 0) + 1;
    this.#metrics?.refused(v.config.id, code);
  }
}
