import { describe, expect, it } from 'vitest';
import { networkPath, resolveNetworksDir } from './networks.js';
import { runTimeSeries } from './series.js';

// Whole simulations: generous limits for a busy CI machine (each takes a few seconds alone).
describe('Net3 over several days', { timeout: 60_000 }, () => {
  const net3 = networkPath(resolveNetworksDir(), 'Net3');
  const measures = { lake: { link: '10', quantity: 'status' as const } };

  it('runs the lake pump 01:00–15:00 every day once timer controls are daily', async () => {
    const s = await runTimeSeries(net3, { duration: 3 * 86_400, interval: 3600, measures });
    const on = (day: number, hour: number) => s.values['lake']![day * 24 + hour];
    for (const day of [0, 1, 2]) {
      expect(on(day, 0)).toBe(0);
      expect(on(day, 2)).toBe(1);
      expect(on(day, 14)).toBe(1);
      expect(on(day, 16)).toBe(0);
    }
  });

  it('runs it only on the first day with the model’s one-shot controls', async () => {
    const s = await runTimeSeries(net3, {
      duration: 2 * 86_400,
      interval: 3600,
      measures,
      dailyTimers: false,
    });
    expect(s.values['lake']![2]).toBe(1);
    expect(s.values['lake']![24 + 2]).toBe(0);
  });

  it('carries chlorine from the plant into the network once chlorine is set up', async () => {
    const s = await runTimeSeries(net3, {
      duration: 2 * 86_400,
      interval: 3600,
      chlorine: { sources: { River: 1.2, Lake: 1.0 } },
      measures: { outlet: { node: '61', quantity: 'quality' }, far: { node: '219', quantity: 'quality' } },
    });
    const day2 = (k: string) => s.values[k]!.slice(24);
    // Chlorine leaves the river works at close to its dose and decays on the way to the far end.
    expect(Math.max(...day2('outlet'))).toBeGreaterThan(1.1);
    expect(Math.max(...day2('outlet'))).toBeLessThanOrEqual(1.2 + 1e-9);
    expect(Math.max(...day2('far'))).toBeLessThan(1.0);
    expect(Math.min(...day2('far'))).toBeGreaterThanOrEqual(0);
  });
});
