import { describe, expect, it } from 'vitest';
import { benchEmbeddedStore, formatBenchReport } from './bench.js';

// Runs the benchmark at a tiny scale to keep it working; timings are not asserted here.
describe('benchEmbeddedStore', () => {
  it('reports every scenario in the project benchmark shape', async () => {
    const report = await benchEmbeddedStore({ scale: 0.02 });
    expect(report.bench).toBe('store');
    expect(report.results.map((r) => r.name)).toEqual([
      'ingest-poll-1000pts',
      'replay-50pts-100s',
      'replay-identical',
      'series-read',
      'latest-all-1050pts',
      'rollup-read-1day-1m',
      'disk-per-sample',
    ]);
    for (const r of report.results) expect(Number.isFinite(r.ours)).toBe(true);
    const text = formatBenchReport(report);
    expect(JSON.parse(text.split('\n').at(-1)!)).toEqual(report);
  });
});
