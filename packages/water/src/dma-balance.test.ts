import { describe, expect, it } from 'vitest';
import { dmaBalance } from './dma-balance.js';
import { syntheticDistrict } from './testing.js';
import { DAY_MS, HOUR_MS } from './time.js';

// Local midnight of 2026-11-01 in China Standard Time (UTC+8).
const START = Date.UTC(2026, 10, 1) - 8 * HOUR_MS;

describe('dmaBalance', () => {
  it('detects a leak breaking out as a step in the minimum night flow and sizes it', () => {
    // The simulator's leak events add their outflow to the district's inflow (issue 7); so does this district.
    const leakAt = START + 8 * DAY_MS + 10 * HOUR_MS;
    const d = syntheticDistrict({ start: START, days: 12, leaks: [{ at: leakAt, flowM3h: 6 }] });
    const days = dmaBalance({ inflows: [d.inflow], meters: d.meters, from: START, to: START + 12 * DAY_MS });

    expect(days.map((x) => x.date)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`),
    );
    const night = d.nightDemandM3h + 1;
    for (const day of days.slice(0, 9)) {
      expect(day.mnfM3h!).toBeCloseTo(night, 1);
      expect(day.leak).toBe(false);
    }
    // The first night after the burst: flagged, and the rise is the leak's flow.
    for (const day of days.slice(9)) {
      expect(day.leak).toBe(true);
      expect(day.mnfRiseM3h!).toBeGreaterThan(5.9);
      expect(day.mnfRiseM3h!).toBeLessThan(6.1);
      expect(day.baselineM3h!).toBeCloseTo(night, 1);
    }
    // The MNF falls inside the 02:00–04:00 local window.
    for (const day of days) {
      expect(day.mnfAt! - day.start).toBeGreaterThanOrEqual(2 * HOUR_MS);
      expect(day.mnfAt! - day.start).toBeLessThanOrEqual(4 * HOUR_MS - 15 * 60_000);
    }
    // Leakage estimate = MNF − 50 properties × 1.7 L/h.
    expect(days[0]!.allowanceM3h).toBeCloseTo(0.085, 9);
    expect(days[10]!.leakEstimateM3h!).toBeCloseTo(night + 6 - 0.085, 1);
  });

  it('balances the day: system input − metered consumption = the water lost', () => {
    const d = syntheticDistrict({ start: START, days: 4, backgroundLeakM3h: 2, noise: 0 });
    const days = dmaBalance({ inflows: [d.inflow], meters: d.meters, from: START, to: START + 4 * DAY_MS });
    for (const day of days) {
      expect(day.inflowCoveragePct).toBeCloseTo(100, 6);
      expect(day.meterCoveragePct).toBeCloseTo(100, 6);
      // Leakage 2 m³/h all day; the registers' midpoint integration differs from the inlet's hold by < 0.1 m³.
      expect(day.nrwM3!).toBeCloseTo(48, 0);
      expect(day.nrwPct!).toBeCloseTo((100 * day.nrwM3!) / day.systemInputM3!, 9);
      expect(day.systemInputM3! - day.meteredM3).toBeCloseTo(day.nrwM3!, 9);
    }
  });

  it('counts through a rolled-over and a replaced meter', () => {
    const d = syntheticDistrict({ start: START, days: 3, noise: 0 });
    const plain = dmaBalance({ inflows: [d.inflow], meters: d.meters, from: START, to: START + 3 * DAY_MS });
    // Meter 1 rolls over its 5-digit register; meter 2 is replaced on day 2 by one starting at 0.
    const [m1, m2] = d.meters;
    const rolled = {
      ...m1!,
      samples: m1!.samples.map((s) => ({ ...s, value: ((s.value as number) + 99_999.9) % 100_000 })),
    };
    const cut = START + DAY_MS + 12 * HOUR_MS;
    const base = m2!.samples.find((s) => s.ts === cut)!.value as number;
    const replaced = {
      ...m2!,
      samples: m2!.samples.map((s) => (s.ts >= cut ? { ...s, value: (s.value as number) - base } : s)),
    };
    const events = dmaBalance({
      inflows: [d.inflow],
      meters: [rolled, replaced, ...d.meters.slice(2)],
      from: START,
      to: START + 3 * DAY_MS,
    });
    expect(events.reduce((a, x) => a + x.rollovers, 0)).toBe(1);
    expect(events[1]!.resets).toBe(1);
    // The new register reads 0 at the swap, so the old meter's last 6 h (06:00–12:00 of day 2,
    // never read off it) are lost — as on a real bill without a final reading; nothing else changes.
    const before = m2!.samples.find((s) => s.ts === cut - 6 * HOUR_MS)!.value as number;
    const lost = base - before;
    expect(events[0]!.meteredM3).toBeCloseTo(plain[0]!.meteredM3, 6);
    expect(events[1]!.meteredM3).toBeCloseTo(plain[1]!.meteredM3 - lost, 6);
    expect(events[2]!.meteredM3).toBeCloseTo(plain[2]!.meteredM3, 6);
  });

  it('leaves NRW out when the inlet data does not cover the day, and the MNF when the night is missing', () => {
    const d = syntheticDistrict({ start: START, days: 2 });
    // The inlet meter is silent from 01:00 to 07:00 local on day 2.
    const gap = d.inflow.filter(
      (s) => s.ts < START + DAY_MS + HOUR_MS || s.ts >= START + DAY_MS + 7 * HOUR_MS,
    );
    const days = dmaBalance({ inflows: [gap], meters: d.meters, from: START, to: START + 2 * DAY_MS });
    expect(days[0]!.nrwM3).not.toBeNull();
    expect(days[1]!.inflowCoveragePct).toBeLessThan(80);
    expect(days[1]).toMatchObject({
      nrwM3: null,
      nrwPct: null,
      mnfM3h: null,
      leakEstimateM3h: null,
      leak: false,
    });
  });

  it('sums several inlets and honours a configured night window and time zone', () => {
    const d = syntheticDistrict({ start: START, days: 2, tzOffsetMinutes: 480 });
    const half = d.inflow.map((s) => ({ ...s, value: (s.value as number) / 2 }));
    const one = dmaBalance({ inflows: [d.inflow], meters: d.meters, from: START, to: START + 2 * DAY_MS });
    const two = dmaBalance({ inflows: [half, half], meters: d.meters, from: START, to: START + 2 * DAY_MS });
    expect(two[1]!.mnfM3h!).toBeCloseTo(one[1]!.mnfM3h!, 9);
    // Read in UTC the same data's local night (02–04 CST = 18–20 UTC) is the evening, far busier.
    const utc = dmaBalance(
      { inflows: [d.inflow], meters: d.meters, from: START, to: START + 2 * DAY_MS },
      { tzOffsetMinutes: 0, nightStartHour: 18, nightEndHour: 20 },
    );
    expect(utc[1]!.mnfM3h!).toBeCloseTo(one[1]!.mnfM3h!, 9);
    expect(() =>
      dmaBalance(
        { inflows: [], meters: [], from: START, to: START + DAY_MS },
        { nightStartHour: 5, nightEndHour: 4 },
      ),
    ).toThrow(/WS_ERR|night window/);
  });
});
