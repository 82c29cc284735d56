import type { Sample } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import { meterHealth, overloadFlowM3h, type MeterHealthInput } from './meter-health.js';
import { DAY_MS, HOUR_MS } from './time.js';

const T0 = Date.UTC(2026, 10, 1);
const SIX_H = 6 * HOUR_MS;
const period = { from: T0, to: T0 + 10 * DAY_MS };

/** A reading every 6 h for 10 days, valued by `f(i)` (null = missing, NaN = bad quality). */
function meter(f: (i: number) => number | null, extra: Partial<MeterHealthInput> = {}): MeterHealthInput {
  const samples: Sample[] = [];
  for (let i = 0; i <= 40; i++) {
    const v = f(i);
    if (v === null) continue;
    samples.push(
      Number.isNaN(v)
        ? { ts: T0 + i * SIX_H, value: null, quality: 'bad' }
        : { ts: T0 + i * SIX_H, value: v, quality: 'good' },
    );
  }
  return { id: 'm1', samples, reportIntervalMs: SIX_H, ...extra };
}

const codes = (h: ReturnType<typeof meterHealth>) => h.reasons.map((r) => `${r.severity}:${r.code}`);

describe('meterHealth', () => {
  it('finds nothing wrong with a meter that reports and moves believably', () => {
    const h = meterHealth(
      meter((i) => 120 + 0.1 * i),
      period,
    );
    expect(h).toMatchObject({
      status: 'ok',
      reasons: [],
      readings: 41,
      expectedReadings: 40,
      completenessPct: 100,
      lastReadingAgeMs: 0,
    });
    expect(h.consumptionM3).toBeCloseTo(4, 9);
    expect(h.lastValueM3).toBeCloseTo(124, 9);
  });

  it('warns on missing readings and faults on a meter that mostly stopped reporting', () => {
    expect(
      codes(
        meterHealth(
          meter((i) => (i % 7 === 3 ? null : 100 + i)),
          period,
        ),
      ),
    ).toEqual(['warn:incomplete']);
    const h = meterHealth(
      meter((i) => (i % 3 === 0 ? 100 + i : NaN)),
      period,
    );
    expect(h.readings).toBe(14);
    expect(codes(h)).toEqual(['fault:incomplete']);
  });

  it('warns when the last reading is several intervals old and faults after three days', () => {
    expect(
      codes(
        meterHealth(
          meter((i) => (i <= 36 ? 100 + i : null)),
          period,
        ),
      ),
    ).toEqual(['warn:stale']);
    const h = meterHealth(
      meter((i) => (i <= 24 ? 100 + i : null)),
      period,
    );
    expect(codes(h)).toEqual(['warn:incomplete', 'fault:stale']);
    expect(h.lastReadingAgeMs).toBe(4 * DAY_MS);
    expect(
      meterHealth(
        meter(() => null),
        period,
      ),
    ).toMatchObject({ status: 'fault', lastReadingTs: null });
  });

  it('suspects a stopped meter when the register has not moved for a week', () => {
    const h = meterHealth(
      meter((i) => 100 + Math.min(i, 8)),
      period,
    );
    expect(codes(h)).toEqual(['warn:zero-consumption']);
    expect(h.reasons[0]!.ts).toBe(T0 + 8 * SIX_H);
    expect(
      codes(
        meterHealth(
          meter((i) => 100 + Math.min(i, 20)),
          period,
        ),
      ),
    ).toEqual([]);
  });

  it('faults on reverse flow and on a register advancing faster than the meter can pass', () => {
    const back = meterHealth(
      meter((i) => (i === 20 ? 95 : 100 + 0.1 * i)),
      period,
    );
    expect(codes(back)).toContain('fault:reverse-flow');
    expect(back.reasons.find((r) => r.code === 'reverse-flow')!.ts).toBe(T0 + 20 * SIX_H);
    // DN15: Q4 = 1.25 × 2.5 = 3.125 m³/h; 30 m³ in 6 h = 5 m³/h is not water through this meter…
    expect(overloadFlowM3h(15)).toBe(3.125);
    const jump = meterHealth(
      meter((i) => 100 + 0.1 * i + (i >= 30 ? 30 : 0)),
      period,
    );
    expect(codes(jump)).toEqual(['fault:sudden-jump']);
    // …but it is through a DN50 (Q4 = 31.25 m³/h).
    expect(
      meterHealth(
        meter((i) => 100 + 0.1 * i + (i >= 30 ? 30 : 0), { sizeMm: 50 }),
        period,
      ).status,
    ).toBe('ok');
  });

  it('tells a replaced meter and a rollover apart', () => {
    const replaced = meterHealth(
      meter((i) => (i < 20 ? 3000 + i : i - 19)),
      period,
    );
    expect(codes(replaced)).toEqual(['warn:register-reset']);
    expect(replaced.consumptionM3).toBeCloseTo(19 + 21, 9);
    const rolled = meterHealth(
      meter((i) => (99_995 + 0.5 * i) % 100_000),
      period,
    );
    expect(rolled.status).toBe('ok');
    expect(rolled.consumptionM3).toBeCloseTo(20, 9);
  });

  it('judges completeness by the readings sent when given a thinned series', () => {
    // Hourly last values of a meter reporting every 15 min, 3 of 4 readings arriving.
    const h = meterHealth(
      meter((i) => 100 + i, { reportIntervalMs: 15 * 60_000, readingCount: 960 * 0.75 }),
      period,
    );
    expect(h).toMatchObject({ readings: 720, expectedReadings: 960, completenessPct: 75 });
    expect(codes(h)).toEqual(['warn:incomplete']);
  });

  it('passes on what the meter says of itself', () => {
    const h = meterHealth(
      meter((i) => 100 + i, { batteryLow: true, valveOpen: false }),
      period,
    );
    expect(h.status).toBe('warn');
    expect(codes(h)).toEqual(['warn:battery-low', 'warn:valve-closed']);
  });
});
