import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SampleRow } from '../types.js';
import { CHUNK_ROWS } from './sample-writer.js';
import { openEmbeddedStore, type EmbeddedStore } from './store.js';

const H = 1_700_002_800_000;
const P = 's.n.g.t';

function rows(n: number, value: (i: number) => number): SampleRow[] {
  return Array.from({ length: n }, (_, i) => ({
    point: P,
    ts: H + i * 1000,
    value: value(i),
    quality: 'good',
  }));
}

describe('SampleWriter chunks', () => {
  let dir: string;
  let store: EmbeddedStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-writer-'));
    store = await openEmbeddedStore({ dir, flushIntervalMs: 5 });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hour = async () => (await store.rollups(P, { tier: '1h', from: H, to: H }))[0];

  it('falls back row by row when a full chunk meets a replay, replacing only what changed', async () => {
    const n = CHUNK_ROWS * 2 + 10;
    await store.writeSamples(rows(n, (i) => i));
    expect(await hour()).toMatchObject({ count: n, min: 0, max: n - 1 });
    // The same rows again, one of them corrected, plus one new row in the middle of a chunk.
    const replay = rows(n, (i) => (i === 300 ? -5 : i));
    replay.splice(100, 0, { point: P, ts: H + 100 * 1000 + 500, value: 7, quality: 'good' });
    await store.writeSamples(replay);
    expect(await hour()).toMatchObject({ count: n + 1, min: -5, max: n - 1 });
    const s = await store.series(P, { from: H, to: H + n * 1000 });
    expect(s).toHaveLength(n + 1);
    expect(s.find((r) => r.ts === H + 300 * 1000)?.value).toBe(-5);
  });

  it('keeps the last write of a (point, ts) repeated inside one chunk', async () => {
    const batch = rows(CHUNK_ROWS, (i) => i);
    batch[CHUNK_ROWS - 1] = { point: P, ts: H, value: 42, quality: 'good' };
    await store.writeSamples(batch);
    expect((await store.series(P, { from: H, to: H }))[0]?.value).toBe(42);
    expect(await hour()).toMatchObject({ count: CHUNK_ROWS - 1, min: 1, max: CHUNK_ROWS - 2 });
    expect((await store.latest([P])).get(P)?.ts).toBe(H + (CHUNK_ROWS - 2) * 1000);
  });

  it.each([1, 3, 4, 21, 64, 85, 255, CHUNK_ROWS + 87])(
    'writes a batch of %i rows (tail in 64/16/4-row statements), a replay of it changes nothing',
    async (n) => {
      await store.writeSamples(rows(n, (i) => i * 2));
      expect(await hour()).toMatchObject({ count: n, min: 0, max: (n - 1) * 2 });
      // A replay with one correction near the end of the tail, where the small chunks are.
      await store.writeSamples(rows(n, (i) => (i === n - 2 ? -1 : i * 2)));
      const s = await store.series(P, { from: H, to: H + n * 1000 });
      expect(s.map((r) => r.value)).toEqual(Array.from({ length: n }, (_, i) => (i === n - 2 ? -1 : i * 2)));
      expect(await hour()).toMatchObject({ count: n, min: n >= 2 ? -1 : 0 });
    },
  );
});
