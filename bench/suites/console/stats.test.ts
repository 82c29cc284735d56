import { describe, expect, it } from 'vitest';
import { consoleReport } from './report.js';
import { summarizeLoads, summarizeRefresh } from './stats.js';

describe('console suite figures', () => {
  it('summarises cold loads by p50 and max, in any order', () => {
    expect(summarizeLoads([900, 300, 500, 700, 1100])).toEqual({ count: 5, p50: 700, max: 1100 });
    const none = summarizeLoads([]);
    expect(none.count).toBe(0);
    expect(none.p50).toBeNaN();
  });

  it('pools the intervals between changes of each cell; one change starts a clock only', () => {
    const s = summarizeRefresh([[1000, 2000, 3000, 4100], [1500, 2500], [1234], []]);
    expect(s.cells).toBe(2);
    expect(s.count).toBe(4);
    expect(s.mean).toBeCloseTo((1000 + 1000 + 1100 + 1000) / 4);
    expect(s.p95).toBe(1100);
    expect(s.max).toBe(1100);
  });

  it('reports both results against their absolute targets, with no peer', () => {
    const report = consoleReport({
      machine: 'test',
      loads: { count: 5, p50: 800, max: 1200 },
      requestedLoads: 5,
      refresh: { count: 30, cells: 3, mean: 1004, p95: 1010, max: 1020 },
      delivery: { count: 30, cells: 3, mean: 1001, p95: 1008, max: 1012 },
      durationS: 10,
    });
    expect(report.bench).toBe('console');
    expect(report.results.map((r) => [r.name, r.unit, r.ours, r.target, r.pass])).toEqual([
      ['overview-load-ms', 'ms', 800, 'ours<=2000', true],
      ['live-refresh-ms', 'ms', 1004, 'ours<=1050', true],
    ]);
    expect(report.results.every((r) => r.peer === undefined && /no peer/.test(r.note ?? ''))).toBe(true);
    expect(report.results[1]!.note).toMatch(/stream events for those points: mean 1001 ms, p95 1008 ms/);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('fails a run whose loads never showed live values or whose slowest load is over 2 s', () => {
    const report = consoleReport({
      machine: 'test',
      loads: { count: 4, p50: 900, max: 2500 },
      requestedLoads: 5,
      refresh: { count: 0, cells: 0, mean: Number.NaN, p95: Number.NaN, max: Number.NaN },
      durationS: 10,
    });
    const [load, refresh] = report.results;
    expect(load!.pass).toBe(false);
    expect(load!.note).toMatch(/1 of 5 loads never showed live values/);
    expect(load!.note).toMatch(/max 2500 ms over 2000/);
    expect(refresh!.pass).toBe(false);
    expect(refresh!.note).toMatch(/no value changed twice/);
  });
});
