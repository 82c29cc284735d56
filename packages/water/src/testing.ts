import type { Sample } from '@watershed/model';
import { HOUR_MS, MINUTE_MS } from './time.js';

/**
 * A synthetic district metered area for tests of the analyses and of what is built on them:
 * households with a diurnal demand, an inlet meter measuring their demand plus background
 * leakage plus any leaks that break out, and household registers read every few hours. Every
 * number is exact and deterministic, so a test knows what the analysis must find.
 */
export interface SyntheticLeak {
  /** When the leak breaks out, ms epoch. */
  at: number;
  flowM3h: number;
}

export interface SyntheticDistrictOptions {
  /** First instant simulated, ms epoch (a local midnight makes days easy to reason about). */
  start: number;
  days: number;
  meters?: number;
  tzOffsetMinutes?: number;
  backgroundLeakM3h?: number;
  leaks?: readonly SyntheticLeak[];
  inflowIntervalMs?: number;
  meterIntervalMs?: number;
  /** Relative amplitude of the inlet meter's deterministic noise; default 0.005. */
  noise?: number;
}

export interface SyntheticDistrict {
  inflow: Sample[];
  meters: { id: string; samples: Sample[] }[];
  /** The household demand of the whole district at an instant, m³/h. */
  demandM3h(ts: number): number;
  /** The district's household demand at the quietest moment of the night, m³/h. */
  nightDemandM3h: number;
}

/** Demand of one household, m³/h, by local hour: 4 L/h through the night, a day-long hump. */
export function householdDemandM3h(localHour: number): number {
  const day = localHour >= 5 && localHour < 23 ? Math.sin((Math.PI * (localHour - 5)) / 18) : 0;
  return 0.004 + 0.036 * day;
}

export function syntheticDistrict(o: SyntheticDistrictOptions): SyntheticDistrict {
  const n = o.meters ?? 50;
  const tz = (o.tzOffsetMinutes ?? 480) * MINUTE_MS;
  const background = o.backgroundLeakM3h ?? 1;
  const leaks = o.leaks ?? [];
  const factors = Array.from({ length: n }, (_, i) => 0.5 + (i % 10) / 10);
  const total = factors.reduce((a, b) => a + b, 0);
  const hourOf = (ts: number): number => ((((ts + tz) % 86_400_000) + 86_400_000) % 86_400_000) / HOUR_MS;
  const demandM3h = (ts: number): number => total * householdDemandM3h(hourOf(ts));

  const end = o.start + o.days * 86_400_000;
  const inflowEvery = o.inflowIntervalMs ?? MINUTE_MS;
  const noise = o.noise ?? 0.005;
  const inflow: Sample[] = [];
  let seed = 12345;
  for (let ts = o.start; ts < end; ts += inflowEvery) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const leak = leaks.reduce((a, l) => a + (ts >= l.at ? l.flowM3h : 0), 0);
    const q = demandM3h(ts) + background + leak;
    inflow.push({ ts, value: q * (1 + noise * (2 * (seed / 2_147_483_648) - 1)), quality: 'good' });
  }

  // Household registers: the demand integrated minute by minute (midpoint rule), read every few hours.
  const readEvery = o.meterIntervalMs ?? 6 * HOUR_MS;
  const meters = factors.map((f, i) => ({ id: `m${i + 1}`, samples: [] as Sample[] }));
  let cumulative = 0;
  for (let ts = o.start; ts <= end; ts += MINUTE_MS) {
    if ((ts - o.start) % readEvery === 0) {
      meters.forEach((m, i) =>
        m.samples.push({ ts, value: 100 * i + factors[i]! * cumulative, quality: 'good' }),
      );
    }
    cumulative += householdDemandM3h(hourOf(ts + MINUTE_MS / 2)) / 60;
  }
  return { inflow, meters, demandM3h, nightDemandM3h: total * householdDemandM3h(3) };
}
