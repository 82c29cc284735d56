import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  Errors,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type Registry,
  type TimerHandle,
} from '@watershed/common';
import type { Point } from '@watershed/model';
import { StoreErrors } from '../errors.js';
import type {
  AggregateQuery,
  AggregateResult,
  PointFilter,
  RollupRange,
  RollupRow,
  SampleRow,
  SeriesRange,
  Store,
  StoreHealth,
  TrendQuery,
  TrendResult,
} from '../types.js';
import { assertAggregateQuery, assertTrendQuery } from '../query/index.js';
import { WriteBatcher } from './batcher.js';
import { assertValidRow, decodeQuality, decodeValue } from './codec.js';
import { LatestCache } from './latest-cache.js';
import { sqliteMetadata } from './metadata/index.js';
import type { MetadataStore } from '../metadata/types.js';
import { migrate } from './migrations.js';
import { PointRegistry } from './point-registry.js';
import { TrendReader } from './queries.js';
import { Retention, type PruneResult, type RetentionPolicy } from './retention.js';
import { decodeRollup, RollupMaintainer } from './rollups.js';
import { SampleWriter, type BatchOutcome } from './sample-writer.js';
import { storeMetrics } from './store-metrics.js';

export interface EmbeddedStoreOptions {
  /** Directory holding the database files; created if missing. */
  dir: string;
  clock?: Clock;
  logger?: Logger;
  /** Longest a written row waits to be batched with others, default 50 ms. */
  flushIntervalMs?: number;
  /** Rows that trigger an immediate flush, default 5000. */
  maxBatch?: number;
  /** How long each tier keeps data; default: everything, forever. */
  retention?: RetentionPolicy;
  /** How often retention runs when some tier has a limit, default 15 min (also once at open). */
  pruneIntervalMs?: number;
  /** Registry for the write path's metrics (`watershed_store_*`); none when omitted. */
  metrics?: Registry;
}

/** Figures about the write path, for metrics and tests. */
export interface EmbeddedStoreStats {
  /** Transactions committed by the write path. */
  batches: number;
  /** Rows waiting for the next flush. */
  pending: number;
  /** Rows dropped on write because they were older than raw retention. */
  dropped: number;
}

export interface EmbeddedStore extends Store {
  stats(): EmbeddedStoreStats;
  /** Applies retention now (it also runs on its own every `pruneIntervalMs`). */
  prune(): Promise<PruneResult>;
}

export const DATABASE_FILE = 'watershed.db';

/** Opens (creating and migrating as needed) the SQLite store under `opts.dir`. */
export function openEmbeddedStore(opts: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  let db: Database.Database | undefined;
  try {
    mkdirSync(opts.dir, { recursive: true });
    const file = join(opts.dir, DATABASE_FILE);
    db = new Database(file);
    // WAL lets readers (the API) run beside the writer; FULL syncs the WAL on each commit, which
    // batching makes cheap, so a resolved writeSamples survives power loss, not only a crash.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // A poll cycle writes one row into each point's range of the samples B-tree: keep those
    // leaf pages cached (64 MiB instead of the 2 MiB default) rather than re-read per batch.
    db.pragma('cache_size = -65536');
    // Another process (a CLI, a backup) may hold the lock briefly; wait rather than fail.
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
    return Promise.resolve(new SqliteStore(db, file, opts));
  } catch (err) {
    db?.close();
    return Promise.reject(asError(err));
  }
}

class SqliteStore implements EmbeddedStore {
  readonly metadata: MetadataStore;
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #log: Logger;
  readonly #points: PointRegistry;
  readonly #batcher: WriteBatcher<SampleRow>;
  readonly #clock: Clock;
  readonly #rollups: RollupMaintainer;
  readonly #retention: Retention;
  readonly #pruneTimer: TimerHandle | undefined;
  readonly #writer: SampleWriter;
  readonly #selectSeries: Database.Statement<[number, number, number, number], SeriesCells>;
  readonly #latest: LatestCache;
  readonly #trends: TrendReader;
  #closed = false;
  #dropped = 0;
  #pruning: Promise<void> | undefined;
  #lastError: string | undefined;

  constructor(db: Database.Database, file: string, opts: EmbeddedStoreOptions) {
    this.#db = db;
    this.#file = file;
    this.#log = (opts.logger ?? silentLogger()).child({ db: file });
    this.#clock = opts.clock ?? systemClock;
    this.metadata = sqliteMetadata(db, this.#clock, () => this.#closed);
    this.#points = new PointRegistry(db);
    this.#rollups = new RollupMaintainer(db);
    this.#retention = new Retention(db, this.#rollups, opts.retention);
    this.#writer = new SampleWriter(db, this.#points, this.#rollups);
    // Raw arrays, not an object per row with column names: a day of 1-s samples is 86,400 rows.
    this.#selectSeries = db
      .prepare<[number, number, number, number], SeriesCells>(
        `SELECT ts, num, txt, q, reason FROM samples
          WHERE point_id = ? AND ts >= ? AND ts <= ? ORDER BY ts LIMIT ?`,
      )
      .raw(true);
    this.#latest = new LatestCache(db);
    this.#trends = new TrendReader(db);
    const metrics = storeMetrics(opts.metrics, () => this.#batcher.pending);
    const writeBatch = db.transaction((rows: SampleRow[]) => this.#writeBatch(rows));
    this.#batcher = new WriteBatcher<SampleRow>({
      clock: this.#clock,
      flushIntervalMs: opts.flushIntervalMs ?? 50,
      maxBatch: opts.maxBatch ?? 5000,
      write: (rows) => {
        const started = performance.now();
        try {
          const { newest, dropped } = writeBatch(rows);
          this.#dropped += dropped;
          // Committed: only now may readers of the cache see the batch.
          for (const row of newest.values()) this.#latest.offer(row);
          this.#lastError = undefined;
          metrics.batch(rows.length, dropped, (performance.now() - started) / 1000);
        } catch (err) {
          metrics.failed();
          this.#points.forgetCached(); // ids handed out inside the rolled-back transaction are void
          this.#rollups.discard();
          this.#lastError = (err as Error).message;
          this.#log.error({ err, rows: rows.length }, 'sample batch failed');
          throw StoreErrors.WRITE_FAILED.create([(err as Error).message], { rows: rows.length }, err);
        }
      },
    });
    if (this.#retention.active) {
      this.#pruneNow();
      this.#pruneTimer = this.#clock.setInterval(() => this.#pruneNow(), opts.pruneIntervalMs ?? 900_000);
    }
  }

  upsertPoints(points: readonly Point[]): Promise<void> {
    return this.#run(() => this.#db.transaction(() => this.#points.upsert(points))());
  }

  listPoints(filter?: PointFilter): Promise<Point[]> {
    return this.#run(() => this.#points.list(filter));
  }

  getPoint(id: string): Promise<Point | undefined> {
    return this.#run(() => this.#points.get(id));
  }

  writeSamples(rows: readonly SampleRow[]): Promise<void> {
    try {
      this.#assertOpen();
      for (const row of rows) assertValidRow(row);
    } catch (err) {
      return Promise.reject(asError(err));
    }
    return this.#batcher.add(rows);
  }

  latest(ids?: readonly string[]): Promise<Map<string, SampleRow>> {
    return this.#run(() => {
      if (ids === undefined) return this.#latest.all();
      const out = new Map<string, SampleRow>();
      for (const key of ids) {
        const r = this.#latest.get(key);
        if (r) out.set(key, r);
      }
      return out;
    });
  }

  series(id: string, range: SeriesRange): Promise<SampleRow[]> {
    return this.#run(() => {
      const pid = this.#points.find(id);
      if (pid === undefined || range.from > range.to) return [];
      const limit = range.limit ?? -1; // SQLite: a negative LIMIT means none
      const cells = this.#selectSeries.all(pid, range.from, range.to, limit);
      const out = new Array<SampleRow>(cells.length);
      for (let i = 0; i < cells.length; i++) {
        const [ts, num, txt, q, reason] = cells[i] as SeriesCells;
        const row: SampleRow = { point: id, ts, value: decodeValue(num, txt, q), quality: decodeQuality(q) };
        if (reason !== null) row.reason = reason;
        out[i] = row;
      }
      return out;
    });
  }

  trend(id: string, query: TrendQuery): Promise<TrendResult> {
    return this.#run(() => {
      assertTrendQuery(id, query);
      const keptFrom = this.#retention.keptFrom(this.#clock.now());
      return this.#trends.trend(id, this.#points.find(id), query, keptFrom);
    });
  }

  aggregate(id: string, query: AggregateQuery): Promise<AggregateResult> {
    return this.#run(() => {
      assertAggregateQuery(id, query);
      return this.#trends.aggregate(id, this.#points.find(id), query);
    });
  }

  rollups(id: string, range: RollupRange): Promise<RollupRow[]> {
    return this.#run(() => {
      const pid = this.#points.find(id);
      if (pid === undefined || range.from > range.to) return [];
      return this.#rollups
        .query(pid, range.tier, range.from, range.to, range.limit ?? -1)
        .map((r) => decodeRollup(id, range.tier, r));
    });
  }

  prune(): Promise<PruneResult> {
    if (this.#closed) return Promise.reject(Errors.CLOSED.create(['store']));
    return this.#retention.prune(this.#clock.now(), () => this.#closed);
  }

  health(): StoreHealth {
    if (this.#closed) return { ok: false, detail: 'closed' };
    if (this.#lastError !== undefined) return { ok: false, detail: `last write failed: ${this.#lastError}` };
    return { ok: true, detail: `${this.#file}, ${this.#batcher.pending} rows pending` };
  }

  stats(): EmbeddedStoreStats {
    return { batches: this.#batcher.batches, pending: this.#batcher.pending, dropped: this.#dropped };
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    if (this.#pruneTimer !== undefined) this.#clock.clearInterval(this.#pruneTimer);
    try {
      this.#batcher.flush(); // settles every pending writer, with success or the write's error
    } finally {
      this.#db.close();
    }
    return Promise.resolve();
  }

  /** Runs a synchronous database call as the interface's promise, turning throws into rejections. */
  #run<T>(fn: () => T): Promise<T> {
    try {
      this.#assertOpen();
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(asError(err));
    }
  }

  /** Writes one batch (inside its transaction); what it returns applies once committed. */
  #writeBatch(rows: readonly SampleRow[]): BatchOutcome {
    return this.#writer.write(rows, this.#retention.rawCutoff(this.#clock.now()));
  }

  /** Timer-driven retention; a run still going when the next is due is not doubled. */
  #pruneNow(): void {
    if (this.#pruning || this.#closed) return;
    this.#pruning = this.#retention
      .prune(this.#clock.now(), () => this.#closed)
      .then(
        (pruned) => this.#log.debug({ pruned }, 'retention applied'),
        (err: unknown) => this.#log.error({ err }, 'retention failed'),
      )
      .finally(() => {
        this.#pruning = undefined;
      });
  }

  #assertOpen(): void {
    if (this.#closed) throw Errors.CLOSED.create(['store']);
  }
}

/** A samples row as `.raw()` returns it: ts, num, txt, q, reason. */
type SeriesCells = [number, number | null, string | null, number, string | null];

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
