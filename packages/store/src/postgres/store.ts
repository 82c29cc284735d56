import pg from 'pg';
import {
  Errors,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type TimerHandle,
} from '@watershed/common';
import type { Point } from '@watershed/model';
import { StoreErrors } from '../errors.js';
import { assertValidRow, decodeSample } from '../embedded/codec.js';
import { storeMetrics, type StoreMetrics } from '../embedded/store-metrics.js';
import type {
  AggregateQuery,
  AggregateResult,
  PointFilter,
  RollupRange,
  RollupRow,
  SampleRow,
  SeriesRange,
  StoreHealth,
  TrendQuery,
  TrendResult,
} from '../types.js';
import { AsyncBatcher } from './batcher.js';
import { copyOutRows, int8Literal, type BinaryColumn } from './binary-copy.js';
import { downsampleSql } from './downsample.js';
import { describeTarget, poolConfig, schemaOf } from './connection.js';
import { toStoreError } from './errors.js';
import type { PostgresStore, PostgresStoreOptions, PostgresStoreStats } from './options.js';
import { migrate } from './migrations.js';
import { pgMetadata } from './metadata/index.js';
import type { MetadataStore } from '../metadata/types.js';
import { PartitionManager } from './partitions.js';
import { PointIds } from './points.js';
import { PostgresRetentionPolicy, type PostgresPruneResult } from './retention.js';
import { decodeRollup, selectRollupsSql, type StoredRollup } from './rollups.js';
import { SampleWriter } from './writer.js';
import { PgTrendReader } from './trends.js';
import { assertAggregateQuery, assertTrendQuery } from '../query/index.js';

/**
 * Opens the PostgreSQL store: connects, migrates `schema` and creates the current partitions.
 * Rejects with WS_ERR_STORE_PG_UNAVAILABLE when the database cannot be reached.
 */
export async function createPostgresStore(opts: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = schemaOf(opts);
  const config = poolConfig(opts);
  const retention = new PostgresRetentionPolicy(schema, opts.retention);
  const partitions = new PartitionManager(schema, opts.partition ?? 'week');
  const pool = new pg.Pool(config);
  const log = (opts.logger ?? silentLogger()).child({ store: 'postgres', schema });
  pool.on('error', (err) => log.warn({ err }, 'idle store connection failed'));
  const where = describeTarget(config, schema);
  const clock = opts.clock ?? systemClock;
  try {
    const db = await pool.connect();
    try {
      await migrate(db, schema, where);
      await partitions.load(db);
      await partitions.ensureAhead(db, clock.now(), opts.partitionsAhead ?? 2);
    } finally {
      db.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw toStoreError(err, where, 'open');
  }
  return new PgStore(pool, config, schema, where, partitions, retention, log, clock, opts);
}

/** Columns of a stored sample, in StoredTuple order. */
const TUPLE = 'ts, num, txt, q, reason';
const SAMPLE_COLUMNS: readonly BinaryColumn[] = ['int8', 'float8', 'text', 'int2', 'text'];

/** A samples or latest row in column order: ts, num, txt, q, reason. */
type StoredTuple = [number, number | null, string | null, number, string | null];

function fromTuple(point: string, t: StoredTuple): SampleRow {
  return decodeSample(point, { ts: t[0], num: t[1], txt: t[2], q: t[3], reason: t[4] });
}

class PgStore implements PostgresStore {
  readonly metadata: MetadataStore;
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly #where: string;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #points: PointIds;
  readonly #partitions: PartitionManager;
  readonly #retention: PostgresRetentionPolicy;
  readonly #writer: SampleWriter;
  readonly #trends: PgTrendReader;
  readonly #batcher: AsyncBatcher<SampleRow>;
  readonly #metrics: StoreMetrics;
  readonly #ahead: number;
  readonly #timer: TimerHandle;
  readonly #sql: {
    latestOf: string;
    latestAll: string;
    rollup1m: string;
    rollup1h: string;
    downsample: string;
  };
  #closed = false;
  #dropped = 0;
  #lastError: string | undefined;
  #maintaining: Promise<PostgresPruneResult> | undefined;

  constructor(
    pool: pg.Pool,
    config: pg.PoolConfig,
    schema: string,
    where: string,
    partitions: PartitionManager,
    retention: PostgresRetentionPolicy,
    log: Logger,
    clock: Clock,
    opts: PostgresStoreOptions,
  ) {
    this.#pool = pool;
    this.#schema = schema;
    this.#where = where;
    this.metadata = pgMetadata(pool, schema, where, clock, () => this.#closed);
    this.#log = log;
    this.#clock = clock;
    this.#partitions = partitions;
    this.#retention = retention;
    this.#ahead = opts.partitionsAhead ?? 2;
    this.#points = new PointIds(schema);
    this.#trends = new PgTrendReader(pool, schema);
    this.#writer = new SampleWriter(
      { ...config, application_name: 'watershed-store-writer' },
      schema,
      this.#points,
      partitions,
      log,
    );
    this.#metrics = storeMetrics(opts.metrics, () => this.#batcher.pending + this.#batcher.inflight);
    this.#batcher = new AsyncBatcher<SampleRow>({
      clock,
      flushIntervalMs: opts.flushIntervalMs ?? 20,
      maxBatch: opts.maxBatch ?? 20_000,
      write: (rows) => this.#writeBatch(rows),
    });
    const s = schema;
    const cols = 'ts, num, txt, q, reason';
    this.#sql = {
      latestOf: `SELECT point_id, ${cols} FROM ${s}.latest WHERE point_id = ANY($1::int4[])`,
      latestAll: `SELECT p.key, l.${cols.replaceAll(', ', ', l.')} FROM ${s}.latest l JOIN ${s}.points p ON p.id = l.point_id`,
      rollup1m: selectRollupsSql(s, '1m'),
      rollup1h: selectRollupsSql(s, '1h'),
      downsample: downsampleSql(s),
    };
    this.#timer = clock.setInterval(
      () => this.#maintainInBackground(),
      opts.maintenanceIntervalMs ?? 900_000,
    );
    this.#timer.unref?.();
    if (retention.active) this.#maintainInBackground();
  }

  upsertPoints(points: readonly Point[]): Promise<void> {
    return this.#read('upsertPoints', () => this.#points.upsert(this.#pool, points));
  }

  listPoints(filter?: PointFilter): Promise<Point[]> {
    return this.#read('listPoints', () => this.#points.list(this.#pool, filter));
  }

  getPoint(id: string): Promise<Point | undefined> {
    return this.#read('getPoint', () => this.#points.get(this.#pool, id));
  }

  writeSamples(rows: readonly SampleRow[]): Promise<void> {
    try {
      this.#assertOpen();
      for (const row of rows) assertValidRow(row);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.#batcher.add(rows);
  }

  latest(ids?: readonly string[]): Promise<Map<string, SampleRow>> {
    return this.#read('latest', async () => {
      const out = new Map<string, SampleRow>();
      if (ids === undefined) {
        const r = await this.#pool.query<[string, ...StoredTuple]>({
          name: `${this.#schema}.latestAll`,
          text: this.#sql.latestAll,
          rowMode: 'array',
        });
        for (const [key, ...row] of r.rows) out.set(key, fromTuple(key, row));
        return out;
      }
      if (ids.length === 0) return out;
      // By interned integer ids (cached after the first call): no join, and an int4 array
      // instead of thousands of text keys to hash. (Binary COPY out, as series() does, measured
      // no faster here: the time is the server's, matching 30,000 ids.)
      const known = await this.#points.find(this.#pool, ids);
      if (known.size === 0) return out;
      const keyOf = new Map<number, string>();
      for (const [key, id] of known) keyOf.set(id, key);
      const r = await this.#pool.query<[number, ...StoredTuple]>({
        name: `${this.#schema}.latestOf`,
        text: this.#sql.latestOf,
        values: [[...keyOf.keys()]],
        rowMode: 'array',
      });
      for (const [id, ...row] of r.rows) {
        const key = keyOf.get(id) as string;
        out.set(key, fromTuple(key, row));
      }
      return out;
    });
  }

  series(id: string, range: SeriesRange): Promise<SampleRow[]> {
    return this.#read('series', async () => {
      if (range.from > range.to) return [];
      const pid = (await this.#points.find(this.#pool, [id])).get(id);
      if (pid === undefined) return [];
      const limit = range.limit === undefined ? 'ALL' : String(Math.max(0, Math.floor(range.limit)));
      const out: SampleRow[] = [];
      // Binary COPY out: a day of 1-s samples is 86,400 rows, and decoding int8/float8 from
      // their binary form is most of what text rows cost the client (binary-copy.ts).
      await copyOutRows(
        this.#pool,
        `SELECT ${TUPLE} FROM ${this.#schema}.samples WHERE point_id = ${pid}
            AND ts >= ${int8Literal(range.from, 'ceil')} AND ts <= ${int8Literal(range.to, 'floor')}
          ORDER BY ts LIMIT ${limit}`,
        SAMPLE_COLUMNS,
        (v) => out.push(fromTuple(id, v as StoredTuple)),
        // One point's range in ts order is what the primary key (point_id, ts) returns already
        // sorted. Without fresh statistics of a new partition (autovacuum analyses it later) the
        // planner guesses a few hundred rows and takes a bitmap scan plus a sort, which for a day
        // of 1-s samples spills to disk (EXPLAIN ANALYZE: external merge, 3× the index scan).
        'SET LOCAL enable_bitmapscan = off',
      );
      return out;
    });
  }

  downsample(id: string, range: { from: number; to: number; points: number }): Promise<SampleRow[]> {
    return this.#read('downsample', async () => {
      if (range.from > range.to || range.points < 1) return [];
      const pid = (await this.#points.find(this.#pool, [id])).get(id);
      if (pid === undefined) return [];
      const r = await this.#pool.query<StoredTuple>({
        name: `${this.#schema}.downsample`,
        text: this.#sql.downsample,
        values: [pid, range.from, range.to, Math.max(1, Math.floor(range.points / 4))],
        rowMode: 'array',
      });
      return r.rows.map((t) => fromTuple(id, t));
    });
  }

  trend(id: string, query: TrendQuery): Promise<TrendResult> {
    return this.#read('trend', async () => {
      assertTrendQuery(id, query);
      const pid = (await this.#points.find(this.#pool, [id])).get(id);
      return this.#trends.trend(id, pid, query, this.#retention.keptFrom(this.#clock.now()));
    });
  }

  aggregate(id: string, query: AggregateQuery): Promise<AggregateResult> {
    return this.#read('aggregate', async () => {
      assertAggregateQuery(id, query);
      const pid = (await this.#points.find(this.#pool, [id])).get(id);
      return this.#trends.aggregate(id, pid, query);
    });
  }

  rollups(id: string, range: RollupRange): Promise<RollupRow[]> {
    return this.#read('rollups', async () => {
      if (range.from > range.to) return [];
      const pid = (await this.#points.find(this.#pool, [id])).get(id);
      if (pid === undefined) return [];
      const width = range.tier === '1m' ? 60_000 : 3_600_000;
      const from = range.from - (((range.from % width) + width) % width);
      const r = await this.#pool.query<StoredRollup>({
        name: `${this.#schema}.rollup${range.tier}`,
        text: range.tier === '1m' ? this.#sql.rollup1m : this.#sql.rollup1h,
        values: [pid, from, range.to, range.limit ?? null],
      });
      return r.rows.map((row) => decodeRollup(id, range.tier, row));
    });
  }

  maintain(): Promise<PostgresPruneResult> {
    if (this.#closed) return Promise.reject(Errors.CLOSED.create(['store']));
    this.#maintaining ??= this.#maintain().finally(() => {
      this.#maintaining = undefined;
    });
    return this.#maintaining;
  }

  health(): StoreHealth {
    if (this.#closed) return { ok: false, detail: 'closed' };
    if (this.#lastError !== undefined) return { ok: false, detail: `last write failed: ${this.#lastError}` };
    return {
      ok: true,
      detail: `${this.#where}, ${this.#batcher.pending + this.#batcher.inflight} rows pending`,
    };
  }

  stats(): PostgresStoreStats {
    return {
      batches: this.#batcher.batches,
      pending: this.#batcher.pending,
      inflight: this.#batcher.inflight,
      dropped: this.#dropped,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#clock.clearInterval(this.#timer);
    try {
      // Settles every pending writer, with success or the write's error.
      await this.#batcher.drain();
      await this.#maintaining?.catch(() => undefined);
    } finally {
      await this.#writer.close();
      await this.#pool.end().catch((err: unknown) => this.#log.warn({ err }, 'closing the pool failed'));
    }
  }

  async #writeBatch(rows: SampleRow[]): Promise<void> {
    const started = performance.now();
    try {
      const { dropped } = await this.#writer.write(rows, this.#retention.rawCutoff(this.#clock.now()));
      this.#dropped += dropped;
      this.#lastError = undefined;
      this.#metrics.batch(rows.length, dropped, (performance.now() - started) / 1000);
    } catch (err) {
      this.#metrics.failed();
      const cause = toStoreError(err, this.#where, 'write');
      this.#lastError = cause.message;
      this.#log.error({ err, rows: rows.length }, 'sample batch failed');
      throw StoreErrors.WRITE_FAILED.create(
        [cause.message],
        { rows: rows.length, cause: (cause as { code?: string }).code },
        cause,
      );
    }
  }

  async #maintain(): Promise<PostgresPruneResult> {
    const db = await this.#pool.connect().catch((err: unknown) => {
      throw toStoreError(err, this.#where, 'maintain');
    });
    try {
      await this.#partitions.ensureAhead(db, this.#clock.now(), this.#ahead);
      return await this.#retention.prune(db, this.#partitions, this.#clock.now());
    } catch (err) {
      throw toStoreError(err, this.#where, 'maintain');
    } finally {
      db.release();
    }
  }

  /** Timer-driven maintenance; a failure is logged and tried again at the next tick. */
  #maintainInBackground(): void {
    if (this.#closed) return;
    this.maintain().then(
      (result) => this.#log.debug({ result }, 'store maintenance done'),
      (err: unknown) => this.#log.warn({ err }, 'store maintenance failed'),
    );
  }

  async #read<T>(what: string, fn: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    try {
      return await fn();
    } catch (err) {
      throw toStoreError(err, this.#where, what);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw Errors.CLOSED.create(['store']);
  }
}
