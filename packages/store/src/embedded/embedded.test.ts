import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { DATABASE_FILE, openEmbeddedStore } from './store.js';
import { SCHEMA_VERSION } from './migrations.js';

describe('embedded store specifics', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ws-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('commits concurrent writers in one transaction when the clock says flush', async () => {
    const clock = new FakeClock();
    const store = await openEmbeddedStore({ dir, clock, flushIntervalMs: 100 });
    let resolved = 0;
    const writers = Array.from({ length: 10 }, (_, w) =>
      store.writeSamples([{ point: `s.n.g.t${w}`, ts: 1, value: w, quality: 'good' }]).then(() => resolved++),
    );
    await clock.advance(99);
    expect(resolved).toBe(0);
    expect(store.stats()).toEqual({ batches: 0, pending: 10, dropped: 0 });
    await clock.advance(1);
    await Promise.all(writers);
    expect(resolved).toBe(10);
    expect(store.stats()).toEqual({ batches: 1, pending: 0, dropped: 0 });
    expect((await store.latest()).size).toBe(10);
    await store.close();
  });

  it('stores in WAL mode with the current schema version, and keeps NaN a number', async () => {
    const store = await openEmbeddedStore({ dir, flushIntervalMs: 1 });
    await store.writeSamples([{ point: 's.n.g.t', ts: 1, value: Number.NaN, quality: 'bad' }]);
    expect((await store.series('s.n.g.t', { from: 0, to: 1 }))[0]?.value).toBeNaN();
    await store.close();
    const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT max(version) AS v FROM schema_version').get()).toEqual({ v: SCHEMA_VERSION });
    db.close();
  });

  it('reports write-path metrics to a given registry', async () => {
    const metrics = createMetricsRegistry();
    const clock = new FakeClock();
    const store = await openEmbeddedStore({ dir, clock, metrics, flushIntervalMs: 10 });
    const written = store.writeSamples(
      [1, 2, 3].map((ts) => ({ point: 's.n.g.t', ts, value: ts, quality: 'good' })),
    );
    expect(await metrics.metrics()).toMatch(/^watershed_store_pending_rows 3$/m);
    await clock.advance(10);
    await written;
    const text = await metrics.metrics();
    expect(text).toMatch(/^watershed_store_rows_written_total 3$/m);
    expect(text).toMatch(/^watershed_store_batch_seconds_count 1$/m);
    expect(text).toMatch(/^watershed_store_pending_rows 0$/m);
    await store.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const first = await openEmbeddedStore({ dir });
    await first.close();
    const db = new Database(join(dir, DATABASE_FILE));
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION + 1);
    db.close();
    await expect(openEmbeddedStore({ dir })).rejects.toMatchObject({ code: 'WS_ERR_STORE_SCHEMA_NEWER' });
  });
});
