import type Database from 'better-sqlite3';
import type { SampleRow } from '../types.js';
import { encodeInto, type Cell } from './codec.js';
import type { PointRegistry } from './point-registry.js';
import type { RollupMaintainer } from './rollups.js';

/**
 * Rows per multi-row INSERT: 6 parameters each, 1,536 per statement, well under SQLite's
 * default limit of 32,766 (SQLITE_MAX_VARIABLE_NUMBER since 3.32). Larger chunks gain little:
 * past a few hundred rows the B-tree work, not the per-statement overhead, dominates.
 */
export const CHUNK_ROWS = 256;
const COLUMNS = 6;
/**
 * Smaller multi-row statements for a batch's tail: a live rule or gateway at a few thousand
 * rows/s flushes batches of a few hundred rows, and going row by row after the last full chunk
 * cost a statement per row — most of the batch. 64 + 16 + 4 + 1s keep it to a handful.
 */
const TAIL_CHUNKS = [64, 16, 4] as const;

/** What one batch did, for the caller to apply once the transaction has committed. */
export interface BatchOutcome {
  /** The newest row written per point id (ties: the later write). */
  newest: Map<number, SampleRow>;
  /** Rows dropped for being older than `cutoff`. */
  dropped: number;
}

/**
 * Writes a batch of samples and their rollup contributions; call inside the write transaction.
 *
 * The usual batch is all new `(point, ts)` pairs (a poll cycle), so rows go in CHUNK_ROWS at a
 * time through one multi-row `INSERT … ON CONFLICT DO NOTHING`, inside a savepoint: when every
 * row of the chunk was inserted (`changes` equals its size) each folds into the rollups as a new
 * sample. When some were not (a replay, or the same pair twice in the chunk), the chunk rolls
 * back to its savepoint and goes row by row, where a conflicting row is a replacement that
 * marks its buckets for recomputation — the same outcome, just slower, and only for replays.
 */
export class SampleWriter {
  readonly #points: PointRegistry;
  readonly #rollups: RollupMaintainer;
  readonly #insertChunk: Database.Statement<[Cell[]]>;
  readonly #insertTail: ReadonlyMap<number, Database.Statement<[Cell[]]>>;
  readonly #insertOne: Database.Statement<[Cell[]]>;
  readonly #replace: Database.Statement<[Replace]>;
  readonly #upsertLatest: Database.Statement<[Cell[]]>;
  readonly #savepoint: Database.Statement;
  readonly #release: Database.Statement;
  readonly #rollback: Database.Statement;
  readonly #cells: Cell[] = new Array<Cell>(CHUNK_ROWS * COLUMNS);
  readonly #chunkRows: SampleRow[] = new Array<SampleRow>(CHUNK_ROWS);
  readonly #chunkPids = new Float64Array(CHUNK_ROWS);

  constructor(db: Database.Database, points: PointRegistry, rollups: RollupMaintainer) {
    this.#points = points;
    this.#rollups = rollups;
    const values = Array.from({ length: CHUNK_ROWS }, () => '(?, ?, ?, ?, ?, ?)').join(', ');
    const insert = 'INSERT INTO samples (point_id, ts, num, txt, q, reason) VALUES';
    this.#insertChunk = db.prepare<[Cell[]]>(`${insert} ${values} ON CONFLICT (point_id, ts) DO NOTHING`);
    this.#insertTail = new Map(
      TAIL_CHUNKS.map((size) => {
        const v = Array.from({ length: size }, () => '(?, ?, ?, ?, ?, ?)').join(', ');
        return [size, db.prepare<[Cell[]]>(`${insert} ${v} ON CONFLICT (point_id, ts) DO NOTHING`)];
      }),
    );
    this.#insertOne = db.prepare<[Cell[]]>(
      `${insert} (?, ?, ?, ?, ?, ?) ON CONFLICT (point_id, ts) DO NOTHING`,
    );
    // Replace only if different: an identical replay (the usual store-and-forward case) costs
    // no rollup work at all.
    this.#replace = db.prepare(
      `UPDATE samples SET num = @num, txt = @txt, q = @q, reason = @reason
        WHERE point_id = @p AND ts = @ts
          AND (num IS NOT @num OR txt IS NOT @txt OR q IS NOT @q OR reason IS NOT @reason)`,
    );
    // `>=` so a replay at the newest ts with a corrected value also corrects `latest`.
    this.#upsertLatest = db.prepare<[Cell[]]>(
      `INSERT INTO latest (point_id, ts, num, txt, q, reason) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (point_id) DO UPDATE
         SET ts = excluded.ts, num = excluded.num, txt = excluded.txt, q = excluded.q, reason = excluded.reason
         WHERE excluded.ts >= latest.ts`,
    );
    this.#savepoint = db.prepare('SAVEPOINT sample_chunk');
    this.#release = db.prepare('RELEASE sample_chunk');
    this.#rollback = db.prepare('ROLLBACK TO sample_chunk');
  }

  /** Writes `rows` not older than `cutoff`, folds them into the rollups and updates `latest`. */
  write(rows: readonly SampleRow[], cutoff: number): BatchOutcome {
    const newest = new Map<number, SampleRow>();
    let dropped = 0;
    let n = 0;
    // In key order, (point, ts), so consecutive inserts land in the same or a neighbouring leaf
    // of the samples B-tree instead of one leaf per point of a poll cycle. The sort is stable:
    // a (point, ts) written twice keeps its order, so the last write still wins.
    const pids = new Float64Array(rows.length);
    const order: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as SampleRow;
      if (row.ts < cutoff) {
        dropped++;
        continue;
      }
      pids[i] = this.#points.idFor(row.point);
      order.push(i);
    }
    order.sort(
      (x, y) =>
        (pids[x] as number) - (pids[y] as number) || (rows[x] as SampleRow).ts - (rows[y] as SampleRow).ts,
    );
    for (const i of order) {
      const row = rows[i] as SampleRow;
      const pid = pids[i] as number;
      this.#chunkRows[n] = row;
      this.#chunkPids[n] = pid;
      encodeInto(row, pid, this.#cells, n * COLUMNS);
      const seen = newest.get(pid);
      if (seen === undefined || row.ts >= seen.ts) newest.set(pid, row);
      if (++n === CHUNK_ROWS) {
        this.#writeChunk();
        n = 0;
      }
    }
    this.#writeTail(n);
    const one = new Array<Cell>(COLUMNS);
    for (const [pid, row] of newest) {
      encodeInto(row, pid, one, 0);
      this.#upsertLatest.run(one);
    }
    this.#rollups.settle();
    return { newest, dropped };
  }

  /**
   * The first `n` (< CHUNK_ROWS) rows: in TAIL_CHUNKS-sized statements while they fit, the rest
   * row by row. Sub-chunks are moved to the front of the buffers so the chunk logic is shared.
   */
  #writeTail(n: number): void {
    let at = 0;
    for (const size of TAIL_CHUNKS) {
      while (n - at >= size) {
        if (at > 0) {
          this.#cells.copyWithin(0, at * COLUMNS, (at + size) * COLUMNS);
          this.#chunkRows.copyWithin(0, at, at + size);
          this.#chunkPids.copyWithin(0, at, at + size);
        }
        const stmt = this.#insertTail.get(size)!;
        this.#writeChunk(size, stmt, this.#cells.slice(0, size * COLUMNS));
        at += size;
      }
    }
    if (n - at > 0 && at > 0) {
      this.#cells.copyWithin(0, at * COLUMNS, n * COLUMNS);
      this.#chunkRows.copyWithin(0, at, n);
      this.#chunkPids.copyWithin(0, at, n);
    }
    this.#writeRows(n - at);
  }

  #writeChunk(size = CHUNK_ROWS, stmt = this.#insertChunk, cells = this.#cells): void {
    this.#savepoint.run();
    if (stmt.run(cells).changes === size) {
      this.#release.run();
      for (let k = 0; k < size; k++) {
        const o = k * COLUMNS;
        this.#rollups.fold(
          this.#chunkPids[k] as number,
          cells[o + 1] as number,
          cells[o + 2] as number | null,
          cells[o + 3] as string | null,
          cells[o + 4] as number,
        );
      }
      return;
    }
    this.#rollback.run();
    this.#release.run();
    this.#writeRows(size);
  }

  /** The first `n` rows of the chunk, one statement each: new ones fold, others replace. */
  #writeRows(n: number): void {
    const one = new Array<Cell>(COLUMNS);
    const replace: Replace = { p: 0, ts: 0, num: null, txt: null, q: 0, reason: null };
    for (let k = 0; k < n; k++) {
      const row = this.#chunkRows[k] as SampleRow;
      const pid = this.#chunkPids[k] as number;
      encodeInto(row, pid, one, 0);
      if (this.#insertOne.run(one).changes === 1) {
        this.#rollups.fold(pid, row.ts, one[2] as number | null, one[3] as string | null, one[4] as number);
        continue;
      }
      replace.p = pid;
      replace.ts = row.ts;
      replace.num = one[2] as number | null;
      replace.txt = one[3] as string | null;
      replace.q = one[4] as number;
      replace.reason = one[5] as string | null;
      if (this.#replace.run(replace).changes === 1) this.#rollups.replaced(pid, row.ts);
    }
  }
}

interface Replace {
  p: number;
  ts: number;
  num: number | null;
  txt: string | null;
  q: number;
  reason: string | null;
}
