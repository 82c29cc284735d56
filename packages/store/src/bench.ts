import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE, openEmbeddedStore, type EmbeddedStore } from './embedded/store.js';
import type { SampleRow } from './types.js';

// The store suite of `npm run bench` starts its PostgreSQL the way the tests do, without vitest.
export { PostgresCluster } from './postgres/testing/cluster.js';

/** One line of a benchmark report, in the project's shape (docs: DESIGN.md, Benchmarks). */
export interface BenchResult {
  name: string;
  unit: string;
  ours: number;
  target: string;
  pass: boolean;
}

export interface BenchReport {
  bench: 'store';
  machine: string;
  results: BenchResult[];
}

export interface StoreBenchOptions {
  /** Scales every scenario's row count; 1 takes a few seconds on two cores. */
  scale?: number;
  /** Where the database goes; a fresh temporary directory by default (removed afterwards). */
  dir?: string;
}

const T0 = 1_764_000_000_000;

/**
 * The embedded store's write and read paths under shapes the platform produces: a poll cycle of
 * many points (one sample each), a store-and-forward replay (many samples per point), an
 * identical replay, and the console's reads. No peer: the targets are absolute floors.
 */
export async function benchEmbeddedStore(opts: StoreBenchOptions = {}): Promise<BenchReport> {
  const scale = opts.scale ?? 1;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'ws-store-bench-'));
  const results: BenchResult[] = [];
  const store = await openEmbeddedStore({ dir, maxBatch: 5000, flushIntervalMs: 5 });
  try {
    const points = 1000;
    const cycles = Math.max(1, Math.round(60 * scale));
    let rows = 0;
    const ingest = await timed(async () => {
      for (let c = 0; c < cycles; c++) {
        const batch: SampleRow[] = [];
        for (let p = 0; p < points; p++) batch.push(sample(`b.n.poll.p${p}`, T0 + c * 1000, (p * c) % 97));
        rows += batch.length;
        await store.writeSamples(batch);
      }
    });
    results.push(floor('ingest-poll-1000pts', 'rows/s', rows / ingest, 10_000));

    const replay = replayRows(Math.max(1, Math.round(20 * scale)));
    const replayed = replay.reduce((n, call) => n + call.length, 0);
    const fresh = await timed(() => writeInCalls(store, replay));
    results.push(floor('replay-50pts-100s', 'rows/s', replayed / fresh, 40_000));
    const again = await timed(() => writeInCalls(store, replay));
    results.push(floor('replay-identical', 'rows/s', replayed / again, 40_000));

    let read = 0;
    const reads = Math.max(1, Math.round(50 * scale));
    const series = await timed(async () => {
      for (let i = 0; i < reads; i++)
        read += (await store.series(`b.n.replay.p${i % 50}`, { from: T0, to: T0 + 3_600_000 })).length;
    });
    results.push(floor('series-read', 'rows/s', read / series, 100_000));

    const latest = await timed(async () => {
      for (let i = 0; i < 10; i++) await store.latest();
    });
    results.push(ceiling('latest-all-1050pts', 'ms', (latest * 1000) / 10, 50));

    const rollups = await timed(async () => {
      for (let i = 0; i < reads; i++)
        await store.rollups(`b.n.poll.p${i}`, { tier: '1m', from: T0, to: T0 + 86_400_000 });
    });
    results.push(ceiling('rollup-read-1day-1m', 'ms', (rollups * 1000) / reads, 5));
  } finally {
    await store.close();
  }
  const total = statSync(join(dir, DATABASE_FILE)).size;
  const stored = 1000 * Math.max(1, Math.round(60 * scale)) + 50 * 100 * Math.max(1, Math.round(20 * scale));
  results.push(ceiling('disk-per-sample', 'B', total / stored, 64));
  if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  return { bench: 'store', machine: `${availableParallelism()} cores`, results };
}

/** Formats a report as a table followed by its JSON line, as `watershed bench` prints it. */
export function formatBenchReport(report: BenchReport): string {
  const lines = report.results.map(
    (r) =>
      `${r.name.padEnd(24)} ${String(Math.round(r.ours)).padStart(10)} ${r.unit.padEnd(7)} ${r.target.padEnd(18)} ${r.pass ? 'pass' : 'FAIL'}`,
  );
  return [...lines, JSON.stringify(report)].join('\n');
}

function sample(point: string, ts: number, value: number): SampleRow {
  return { point, ts, value, quality: 'good' };
}

function replayRows(calls: number): SampleRow[][] {
  const out: SampleRow[][] = [];
  for (let c = 0; c < calls; c++) {
    const batch: SampleRow[] = [];
    for (let p = 0; p < 50; p++) {
      for (let i = 0; i < 100; i++) batch.push(sample(`b.n.replay.p${p}`, T0 + (c * 100 + i) * 1000, i));
    }
    out.push(batch);
  }
  return out;
}

async function writeInCalls(store: EmbeddedStore, calls: SampleRow[][]): Promise<void> {
  for (const rows of calls) await store.writeSamples(rows);
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

function floor(name: string, unit: string, ours: number, min: number): BenchResult {
  return { name, unit, ours: Math.round(ours), target: `ours>=${min}`, pass: ours >= min };
}

function ceiling(name: string, unit: string, ours: number, max: number): BenchResult {
  return { name, unit, ours: Math.round(ours * 100) / 100, target: `ours<=${max}`, pass: ours <= max };
}
