import type Database from 'better-sqlite3';
import { isName, parsePointId, Point, pointId } from '@watershed/model';
import { Compile } from 'typebox/compile';
import { StoreErrors } from '../errors.js';
import type { PointFilter } from '../types.js';

const pointCheck = Compile(Point);

/**
 * Point metadata and the mapping from point ids (text) to the integer keys samples are stored
 * under. Samples may name a point before anyone declares it (data flows before configuration
 * is pushed): such a key gets a row at once, with the metadata its id carries when it is a
 * well-formed `site.node.group.tag`, and `upsertPoints` fills in the rest later.
 */
export class PointRegistry {
  readonly #ids = new Map<string, number>();
  readonly #select: Database.Statement<[string], { id: number }>;
  readonly #insertKey: Database.Statement<[string, string | null, string | null, string | null]>;
  readonly #upsert: Database.Statement<[string, string, string, string]>;
  readonly #list: Database.Statement<[{ site: string | null; node: string | null }], { doc: string }>;
  readonly #get: Database.Statement<[string], { doc: string | null }>;

  constructor(db: Database.Database) {
    this.#select = db.prepare('SELECT id FROM points WHERE key = ?');
    this.#insertKey = db.prepare('INSERT INTO points (key, site, node, doc) VALUES (?, ?, ?, ?)');
    this.#upsert = db.prepare(
      `INSERT INTO points (key, site, node, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET site = excluded.site, node = excluded.node, doc = excluded.doc`,
    );
    this.#list = db.prepare(
      `SELECT doc FROM points WHERE doc IS NOT NULL
         AND (@site IS NULL OR site = @site) AND (@node IS NULL OR node = @node) ORDER BY key`,
    );
    this.#get = db.prepare('SELECT doc FROM points WHERE key = ?');
  }

  /** The integer key for a point id, creating its row when new; call inside a write transaction. */
  idFor(key: string): number {
    const cached = this.#ids.get(key);
    if (cached !== undefined) return cached;
    let id = this.#select.get(key)?.id;
    if (id === undefined) {
      const implied = impliedPoint(key);
      id = Number(
        this.#insertKey.run(
          key,
          implied?.site ?? null,
          implied?.node ?? null,
          implied ? JSON.stringify(implied) : null,
        ).lastInsertRowid,
      );
    }
    this.#ids.set(key, id);
    return id;
  }

  /** The integer key of a point id without creating it. */
  find(key: string): number | undefined {
    const cached = this.#ids.get(key);
    if (cached !== undefined) return cached;
    const id = this.#select.get(key)?.id;
    if (id !== undefined) this.#ids.set(key, id);
    return id;
  }

  /** Drops cached ids, after a rollback may have voided some of them. */
  forgetCached(): void {
    this.#ids.clear();
  }

  /** Validates every point first, so an invalid one leaves the batch unwritten. */
  upsert(points: readonly Point[]): void {
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
    for (const p of points) this.#upsert.run(p.id, p.site, p.node, JSON.stringify(p));
  }

  list(filter: PointFilter = {}): Point[] {
    return this.#list
      .all({ site: filter.site ?? null, node: filter.node ?? null })
      .map((r) => JSON.parse(r.doc) as Point);
  }

  get(key: string): Point | undefined {
    const doc = this.#get.get(key)?.doc;
    return doc ? (JSON.parse(doc) as Point) : undefined;
  }
}

function impliedPoint(key: string): Point | undefined {
  const a = parsePointId(key);
  if (!a || ![a.site, a.node, a.group, a.tag].every(isName)) return undefined;
  return { id: key, site: a.site, node: a.node, group: a.group, tag: a.tag };
}
