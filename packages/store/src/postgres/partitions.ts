import type pg from 'pg';

/** How wide each partition of the samples table is. */
export type PartitionSpan = 'day' | 'week' | 'month';

const DAY = 86_400_000;
/** 1970-01-05, the first Monday of the epoch: weeks run Monday to Monday (ISO 8601). */
const MONDAY = 4 * DAY;

/** The partition `[lo, hi)` of `span` holding `ts` (ms epoch, UTC). */
export function partitionRange(span: PartitionSpan, ts: number): [number, number] {
  switch (span) {
    case 'day': {
      const lo = ts - (((ts % DAY) + DAY) % DAY);
      return [lo, lo + DAY];
    }
    case 'week': {
      const w = 7 * DAY;
      const lo = ts - ((((ts - MONDAY) % w) + w) % w);
      return [lo, lo + w];
    }
    case 'month': {
      const d = new Date(ts);
      const y = d.getUTCFullYear();
      const m = d.getUTCMonth();
      return [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)];
    }
  }
}

/** `samples_20261127`: the partition's UTC start date, readable in psql and unique per span. */
export function partitionName(lo: number): string {
  const d = new Date(lo);
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `samples_${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
}

/**
 * Creates partitions of the samples table as they are needed and drops whole partitions that
 * retention has passed — a DROP TABLE, no row-by-row DELETE and no bloat left for vacuum. No
 * DEFAULT partition exists on purpose: rows of a range without a partition would land there, and
 * attaching that range's partition later would scan and lock it.
 *
 * `partitions` (in the store's schema) records each one's bounds, so retention reads numbers
 * rather than parsing `pg_get_expr` of the bound.
 */
export class PartitionManager {
  readonly #schema: string;
  readonly #span: PartitionSpan;
  /** Starts of partitions known to exist. */
  readonly #known = new Set<number>();

  constructor(schema: string, span: PartitionSpan) {
    this.#schema = schema;
    this.#span = span;
  }

  get span(): PartitionSpan {
    return this.#span;
  }

  /** Loads the partitions that exist, so `ensure` creates only missing ones. */
  async load(db: pg.ClientBase): Promise<void> {
    const r = await db.query<{ lo: number }>(`SELECT lo FROM ${this.#schema}.partitions`);
    this.#known.clear();
    for (const row of r.rows) this.#known.add(Number(row.lo));
  }

  /** Creates the partitions holding each of `timestamps` that do not exist yet. */
  async ensure(db: pg.ClientBase, timestamps: Iterable<number>): Promise<number> {
    const missing = new Map<number, number>();
    // Rows of a batch mostly share a partition: skip the date arithmetic while inside the last.
    let lo = 0;
    let hi = 0;
    for (const ts of timestamps) {
      if (ts >= lo && ts < hi) continue;
      [lo, hi] = partitionRange(this.#span, ts);
      if (!this.#known.has(lo)) missing.set(lo, hi);
    }
    for (const [lo, hi] of missing) await this.#create(db, lo, hi);
    return missing.size;
  }

  /** Creates the partition of `now` and the `ahead` ones after it, so writes rarely wait on DDL. */
  async ensureAhead(db: pg.ClientBase, now: number, ahead: number): Promise<number> {
    const starts: number[] = [];
    let ts = now;
    for (let i = 0; i <= ahead; i++) {
      const [lo, hi] = partitionRange(this.#span, ts);
      starts.push(lo);
      ts = hi;
    }
    return this.ensure(db, starts);
  }

  /** Drops every partition that ends at or before `cutoff`; returns their names. */
  async dropBefore(db: pg.ClientBase, cutoff: number): Promise<string[]> {
    const r = await db.query<{ name: string; lo: number }>(
      `SELECT name, lo FROM ${this.#schema}.partitions WHERE hi <= $1 ORDER BY lo`,
      [cutoff],
    );
    const dropped: string[] = [];
    for (const { name, lo } of r.rows) {
      await db.query('BEGIN');
      try {
        await db.query(`DROP TABLE IF EXISTS ${this.#schema}.${name}`);
        await db.query(`DELETE FROM ${this.#schema}.partitions WHERE name = $1`, [name]);
        await db.query('COMMIT');
      } catch (err) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      this.#known.delete(Number(lo));
      dropped.push(name);
    }
    return dropped;
  }

  async #create(db: pg.ClientBase, lo: number, hi: number): Promise<void> {
    const name = partitionName(lo);
    // Another store process may create the same partition at the same time: IF NOT EXISTS and
    // ON CONFLICT make that a no-op rather than an error.
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${this.#schema}.${name} PARTITION OF ${this.#schema}.samples
         FOR VALUES FROM (${lo}) TO (${hi})`,
    );
    await db.query(
      `INSERT INTO ${this.#schema}.partitions (name, lo, hi) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
      [name, lo, hi],
    );
    this.#known.add(lo);
  }
}
