import type Database from 'better-sqlite3';
import type { SampleRow } from '../types.js';
import { decodeSample, type StoredSample } from './codec.js';

/**
 * The newest sample of every point, in memory: loaded once from the `latest` table at open and
 * advanced after each committed batch, so `latest(30,000 ids)` is 30,000 map lookups rather than
 * 30,000 queries. The table stays the durable copy (it is what a restart loads); the map holds
 * one small object per point, a few MB for 30,000 points.
 */
export class LatestCache {
  readonly #rows = new Map<string, SampleRow>();

  constructor(db: Database.Database) {
    const all = db.prepare<[], StoredSample & { key: string }>(
      `SELECT p.key AS key, l.ts, l.num, l.txt, l.q, l.reason
         FROM latest l JOIN points p ON p.id = l.point_id`,
    );
    for (const r of all.iterate()) this.#rows.set(r.key, decodeSample(r.key, r));
  }

  /**
   * Takes a committed row if it is at least as new as the one held; `>=` as in the table's
   * upsert, so a replay at the newest ts with a corrected value corrects `latest` too.
   */
  offer(row: SampleRow): void {
    const held = this.#rows.get(row.point);
    if (held === undefined || row.ts >= held.ts) this.#rows.set(row.point, copy(row));
  }

  /** A copy of the newest row of `key`: callers may keep or change what they get. */
  get(key: string): SampleRow | undefined {
    const r = this.#rows.get(key);
    return r === undefined ? undefined : copy(r);
  }

  /** Copies of every point's newest row, ordered by point id. */
  all(): Map<string, SampleRow> {
    const keys = [...this.#rows.keys()].sort();
    const out = new Map<string, SampleRow>();
    for (const k of keys) out.set(k, copy(this.#rows.get(k) as SampleRow));
    return out;
  }
}

function copy(r: SampleRow): SampleRow {
  const c: SampleRow = { point: r.point, ts: r.ts, value: r.value, quality: r.quality };
  if (r.reason !== undefined) c.reason = r.reason;
  return c;
}
