import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import type { SampleRow } from '../types.js';
import { MIGRATIONS } from './migrations.js';
import { DATABASE_FILE, openEmbeddedStore } from './store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = 1_700_002_800_000 + 10 * DAY; // on an hour boundary

const sample = (ts: number, value: number): SampleRow => ({ point: 's.n.g.t', ts, value, quality: 'good' });

describe('embedded store retention and rollup migration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ws-store-ret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a policy where a coarser tier keeps less than a finer one, or under an hour', async () => {
    await expect(openEmbeddedStore({ dir, retention: { raw: 7 * DAY, '1m': DAY } })).rejects.toMatchObject({
      code: 'WS_ERR_STORE_INVALID_RETENTION',
      message: expect.stringMatching(/1m .* must keep at least as long as raw/),
    });
    await expect(openEmbeddedStore({ dir, retention: { '1h': DAY } })).rejects.toMatchObject({
      code: 'WS_ERR_STORE_INVALID_RETENTION',
    });
    await expect(openEmbeddedStore({ dir, retention: { raw: 1000 } })).rejects.toMatchObject({
      message: expect.stringMatching(/raw must be at least one hour/),
    });
  });

  it('prunes each tier on hour boundaries, on a timer, and drops writes older than raw retention', async () => {
    const clock = new FakeClock(NOW);
    const retention = { raw: 2 * DAY, '1m': 5 * DAY, '1h': 8 * DAY };
    const store = await openEmbeddedStore({
      dir,
      clock,
      flushIntervalMs: 1,
      retention,
      pruneIntervalMs: HOUR,
    });
    const ages = [9 * DAY, 6 * DAY, 3 * DAY, DAY, 0];
    // Written while "younger": pretend the clock was earlier by writing with retention off first.
    await store.close();
    const unlimited = await openEmbeddedStore({ dir, flushIntervalMs: 1 });
    await unlimited.writeSamples(ages.map((a) => sample(NOW - a, a / DAY)));
    await unlimited.close();

    const reopened = await openEmbeddedStore({
      dir,
      clock,
      flushIntervalMs: 1,
      retention,
      pruneIntervalMs: HOUR,
    });
    const all = { from: 0, to: NOW };
    expect((await reopened.series('s.n.g.t', all)).map((r) => r.value)).toEqual([1, 0]);
    expect((await reopened.rollups('s.n.g.t', { tier: '1m', ...all })).map((r) => r.last)).toEqual([3, 1, 0]);
    expect((await reopened.rollups('s.n.g.t', { tier: '1h', ...all })).map((r) => r.last)).toEqual([
      6, 3, 1, 0,
    ]);

    const p = reopened.writeSamples([sample(NOW - 3 * DAY, 42), sample(NOW + 1, 7)]);
    await clock.advance(1);
    await p;
    expect(reopened.stats().dropped).toBe(1);
    expect((await reopened.series('s.n.g.t', all)).map((r) => r.value)).toEqual([1, 0]);

    // The hourly prune removes the day-old sample once its whole hour is older than two days.
    await clock.advance(DAY);
    expect((await reopened.series('s.n.g.t', { from: 0, to: NOW + DAY })).map((r) => r.value)).toEqual([
      1, 0, 7,
    ]);
    await clock.advance(HOUR);
    expect((await reopened.series('s.n.g.t', { from: 0, to: NOW + DAY })).map((r) => r.value)).toEqual([
      0, 7,
    ]);
    expect(await reopened.prune()).toEqual({ raw: 0, '1m': 0, '1h': 0 });
    await reopened.close();
    expect(clock.pending).toBe(0);
  });

  it('prunes many points in slices and stops when the store closes', async () => {
    const clock = new FakeClock(NOW);
    const old = Array.from({ length: 200 }, (_, p): SampleRow => ({
      point: `s.n.g.p${p}`,
      ts: NOW - 5 * DAY,
      value: p,
      quality: 'good',
    }));
    const unlimited = await openEmbeddedStore({ dir, flushIntervalMs: 1 });
    await unlimited.writeSamples(old);
    await unlimited.writeSamples(old.map((r) => ({ ...r, ts: NOW - 4 * DAY })));
    await unlimited.close();

    const retention = { raw: 4.5 * DAY };
    const rowsPerPoint = async (): Promise<number[]> => {
      const s = await openEmbeddedStore({ dir });
      const counts = await Promise.all(
        old.map(async (r) => (await s.series(r.point, { from: 0, to: NOW })).length),
      );
      await s.close();
      return counts;
    };

    // Opening starts a prune whose first slice runs at once; closing stops it after that slice.
    const first = await openEmbeddedStore({ dir, clock, retention });
    await first.close();
    const afterStop = await rowsPerPoint();
    expect(afterStop.filter((n) => n === 1)).toHaveLength(64);
    expect(afterStop.filter((n) => n === 2)).toHaveLength(136);

    const second = await openEmbeddedStore({ dir, clock, retention });
    await second.prune();
    await second.close();
    expect((await rowsPerPoint()).every((n) => n === 1)).toBe(true);
    await expect(second.prune()).rejects.toMatchObject({ code: 'WS_ERR_CLOSED' });
  });

  it('backfills rollups from samples stored before rollups existed', async () => {
    const db = new Database(join(dir, DATABASE_FILE));
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    db.exec(MIGRATIONS[0]!.sql);
    db.prepare('INSERT INTO schema_version (version) VALUES (1)').run();
    db.prepare("INSERT INTO points (id, key) VALUES (1, 's.n.g.t')").run();
    const ins = db.prepare(
      'INSERT INTO samples (point_id, ts, num, txt, q, reason) VALUES (1, ?, ?, NULL, ?, NULL)',
    );
    const H = 1_700_002_800_000;
    ins.run(H + 1000, 4, 0); // good number
    ins.run(H + 2000, 8, 2); // bad number: counted, not aggregated
    ins.run(H + 3000, 1, 4); // good boolean true
    ins.run(H - 1000, 2, 0); // previous hour, pre-1970-safe bucketing aside
    db.close();

    const store = await openEmbeddedStore({ dir });
    const [m] = await store.rollups('s.n.g.t', { tier: '1m', from: H, to: H });
    expect(m).toMatchObject({
      ts: H,
      count: 3,
      bad: 1,
      numeric: 2,
      min: 1,
      max: 4,
      avg: 2.5,
      last: true,
      lastTs: H + 3000,
    });
    const hours = await store.rollups('s.n.g.t', { tier: '1h', from: H - HOUR, to: H });
    expect(hours.map((r) => [r.ts, r.count, r.last])).toEqual([
      [H - HOUR, 1, 2],
      [H, 3, true],
    ]);
    await store.close();
  });
});
