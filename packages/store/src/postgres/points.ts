import type pg from 'pg';
import { isName, parsePointId, Point, pointId } from '@watershed/model';
import { Compile } from 'typebox/compile';
import { StoreErrors } from '../errors.js';
import type { PointFilter } from '../types.js';

const pointCheck = Compile(Point);

/**
 * Point metadata and the interning of point ids (text) to the integer keys samples are stored
 * under, as in the embedded store: a key that samples name before anyone declares it gets a row
 * at once, with the metadata its id carries when it is a well-formed `site.node.group.tag`.
 * Interned ids are committed on their own, before the batch that needs them, so a batch that
 * rolls back never leaves a cached id pointing at nothing.
 */
export class PointIds {
  readonly #schema: string;
  readonly #ids = new Map<string, number>();

  constructor(schema: string) {
    this.#schema = schema;
  }

  /** Cached integer key of a point id, if this process has seen it. */
  cached(key: string): number | undefined {
    return this.#ids.get(key);
  }

  /** Integer keys of every id in `keys`, creating rows for new ones; one round trip for all misses. */
  async intern(db: pg.ClientBase, keys: Iterable<string>): Promise<Map<string, number>> {
    const missing: string[] = [];
    for (const k of keys) if (!this.#ids.has(k)) missing.push(k);
    if (missing.length > 0) {
      const implied = missing.map(impliedPoint);
      // Insert what is new (a concurrent writer may win the race: DO NOTHING), then read them all.
      const r = await db.query<{ id: number; key: string }>(
        `WITH ins AS (
           INSERT INTO ${this.#schema}.points (key, site, node, doc)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
           ON CONFLICT (key) DO NOTHING
           RETURNING id, key)
         SELECT id, key FROM ins
         UNION ALL
         SELECT id, key FROM ${this.#schema}.points WHERE key = ANY($1::text[])`,
        [
          missing,
          implied.map((p) => p?.site ?? null),
          implied.map((p) => p?.node ?? null),
          implied.map((p) => (p ? JSON.stringify(p) : null)),
        ],
      );
      for (const row of r.rows) this.#ids.set(row.key, row.id);
    }
    return this.#ids;
  }

  /** Integer keys of existing points among `keys` (never creates). */
  async find(db: pg.ClientBase | pg.Pool, keys: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const missing: string[] = [];
    for (const k of keys) {
      const id = this.#ids.get(k);
      if (id === undefined) missing.push(k);
      else out.set(k, id);
    }
    if (missing.length > 0) {
      const r = await db.query<{ id: number; key: string }>(
        `SELECT id, key FROM ${this.#schema}.points WHERE key = ANY($1::text[])`,
        [missing],
      );
      for (const row of r.rows) {
        this.#ids.set(row.key, row.id);
        out.set(row.key, row.id);
      }
    }
    return out;
  }

  /** Validates every point first, so one invalid point leaves the whole call unwritten. */
  async upsert(db: pg.Pool, points: readonly Point[]): Promise<void> {
    for (const p of points) {
      if (!pointCheck.Check(p)) {
        const first = pointCheck.Errors(p)[0];
        throw StoreErrors.INVALID_POINT.create([
          String((p as { id?: unknown })?.id),
          `${first?.instancePath || '/'} ${first?.message ?? ''}`,
        ]);
      }
      if (p.id !== pointId(p)) {
        throw StoreErrors.INVALID_POINT.create([p.id, `id must be site.node.group.tag (${pointId(p)})`]);
      }
    }
    if (points.length === 0) return;
    // Last of duplicates wins, as a sequence of single upserts would have it.
    const byId = new Map(points.map((p) => [p.id, p]));
    const list = [...byId.values()];
    await db.query(
      `INSERT INTO ${this.#schema}.points (key, site, node, doc)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
       ON CONFLICT (key) DO UPDATE SET site = excluded.site, node = excluded.node, doc = excluded.doc`,
      [
        list.map((p) => p.id),
        list.map((p) => p.site),
        list.map((p) => p.node),
        list.map((p) => JSON.stringify(p)),
      ],
    );
  }

  async list(db: pg.Pool, filter: PointFilter = {}): Promise<Point[]> {
    const r = await db.query<{ doc: Point }>(
      `SELECT doc FROM ${this.#schema}.points WHERE doc IS NOT NULL
         AND ($1::text IS NULL OR site = $1) AND ($2::text IS NULL OR node = $2) ORDER BY key COLLATE "C"`,
      [filter.site ?? null, filter.node ?? null],
    );
    return r.rows.map((row) => row.doc);
  }

  async get(db: pg.Pool, key: string): Promise<Point | undefined> {
    const r = await db.query<{ doc: Point | null }>(`SELECT doc FROM ${this.#schema}.points WHERE key = $1`, [
      key,
    ]);
    return r.rows[0]?.doc ?? undefined;
  }
}

function impliedPoint(key: string): Point | undefined {
  const a = parsePointId(key);
  if (!a || ![a.site, a.node, a.group, a.tag].every(isName)) return undefined;
  return { id: key, site: a.site, node: a.node, group: a.group, tag: a.tag };
}
