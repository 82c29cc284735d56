import { describe, expect, it } from 'vitest';
import { diurnalFactor } from './diurnal.js';
import { MeterPopulation } from './population.js';

const H = 3600;

describe('diurnal profile', () => {
  it('averages 1 over the day', () => {
    let sum = 0;
    for (let s = 0; s < 86_400; s += 60) sum += diurnalFactor(s);
    expect(sum / 1440).toBeCloseTo(1, 2);
  });

  it('has a morning and an evening peak and a low night', () => {
    const at = (h: number): number => diurnalFactor(h * H);
    expect(at(3.5)).toBeLessThan(0.25);
    expect(at(7.5)).toBeGreaterThan(1.8);
    expect(at(19.5)).toBeGreaterThan(1.6);
    expect(at(14.5)).toBeLessThan(at(7.5));
    expect(at(14.5)).toBeLessThan(at(19.5));
    // Continuous across midnight.
    expect(Math.abs(diurnalFactor(86_399) - diurnalFactor(0))).toBeLessThan(0.01);
  });
});

describe('MeterPopulation', () => {
  const make = (seed = 7): MeterPopulation => new MeterPopulation({ count: 50, seed, start: 0 });

  it('numbers meters with 14 digits and is the same for the same seed', () => {
    const a = make();
    const b = make();
    expect(a.addresses).toHaveLength(50);
    expect(a.addresses[0]).toBe('00000010000001');
    a.advanceTo(86_400);
    b.advanceTo(3 * H);
    b.advanceTo(86_400);
    expect([...b.meters.values()].map((m) => m.total)).toEqual([...a.meters.values()].map((m) => m.total));
    const c = make(8);
    c.advanceTo(86_400);
    expect([...c.meters.values()].map((m) => m.total)).not.toEqual(
      [...a.meters.values()].map((m) => m.total),
    );
  });

  it('keeps totals monotonic at 0.01 m³ resolution', () => {
    const p = make();
    let last = [...p.meters.values()].map((m) => m.total);
    for (let t = 600; t <= 2 * 86_400; t += 600) {
      p.advanceTo(t);
      const now = [...p.meters.values()].map((m) => m.total);
      now.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(last[i] ?? 0);
        expect(Math.round(v * 100)).toBeCloseTo(v * 100, 6);
      });
      last = now;
    }
  });

  it('uses about the configured daily volume, mostly by day', () => {
    const p = make();
    const start = [...p.meters.values()].reduce((a, m) => a + m.total, 0);
    p.advanceTo(86_400);
    const used = [...p.meters.values()].reduce((a, m) => a + m.total, 0) - start;
    expect(used / 50).toBeGreaterThan(0.3);
    expect(used / 50).toBeLessThan(0.65);
    // Population demand: night minimum well under the peaks.
    expect(p.demand(3.5 * H)).toBeLessThan(0.3 * p.demand(7.5 * H));
    expect(p.demand(19.5 * H)).toBeGreaterThan(1.5 * p.demand(3.5 * H));
  });

  it('stops a meter with its valve closed', () => {
    const p = make();
    const [first] = p.addresses;
    const m = p.meters.get(first!)!;
    m.valveOpen = false;
    const before = m.total;
    p.advanceTo(86_400);
    expect(m.total).toBe(before);
  });

  it('has a few meters with a low battery', () => {
    const p = new MeterPopulation({ count: 400, seed: 1, start: 0 });
    const low = [...p.meters.values()].filter((m) => m.batteryLow).length;
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThan(40);
  });

  it('copies the totals to the settlement totals every 30 days', () => {
    const p = new MeterPopulation({ count: 10, seed: 1, start: 0 });
    p.advanceTo(30 * 86_400 - 60);
    for (const m of p.meters.values()) expect(m.settlementTotal).toBeLessThan(m.total);
    p.advanceTo(30 * 86_400);
    for (const m of p.meters.values()) expect(m.settlementTotal).toBe(m.total);
  });
});
