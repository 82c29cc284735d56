import type { AnalysisSettings, DmaDay } from './wire.js';
import type { Store } from '@watershed/store';
import { DAY_MS, dmaBalance, localDayStart, type DmaOptions } from '@watershed/water';
import type { AnalyticsConfig } from './config.js';
import type { District } from './districts.js';
import { hourlyRegister, minuteMeans } from './readers.js';

export function settingsOf(cfg: AnalyticsConfig): AnalysisSettings {
  return {
    tzOffsetMinutes: cfg.tzOffsetMinutes,
    nightStartHour: cfg.night.startHour,
    nightEndHour: cfg.night.endHour,
    rollingMinutes: cfg.night.rollingMinutes,
    allowanceLPerPropertyH: cfg.allowanceLPerPropertyH,
    baselineNights: cfg.leak.baselineNights,
    leakThresholdM3h: cfg.leak.thresholdM3h,
    leakThresholdPct: cfg.leak.thresholdPct,
  };
}

function optionsOf(cfg: AnalyticsConfig, d: District): DmaOptions {
  return {
    tzOffsetMinutes: cfg.tzOffsetMinutes,
    nightStartHour: cfg.night.startHour,
    nightEndHour: cfg.night.endHour,
    rollingMinutes: cfg.night.rollingMinutes,
    properties: d.properties,
    allowanceLPerPropertyH: cfg.allowanceLPerPropertyH,
    nonHouseholdNightUseM3h: d.nonHouseholdNightUseM3h,
    minCoveragePct: cfg.minCoveragePct,
    leak: cfg.leak,
  };
}

/**
 * The daily balance of a district over the local days overlapping [from, to). The nights before
 * `from` that the leak baseline needs are computed too and dropped, so a day's flag does not
 * depend on where the asked range starts. Meter registers are read from a day before `from`, so
 * the first day's consumption is prorated between readings on both sides of its midnight.
 */
export async function districtDays(
  store: Store,
  cfg: AnalyticsConfig,
  d: District,
  from: number,
  to: number,
): Promise<DmaDay[]> {
  const first = localDayStart(from, cfg.tzOffsetMinutes);
  const start = first - cfg.leak.baselineNights * DAY_MS;
  const end = Math.max(to, start + 1);
  const inflows = [];
  for (const id of d.inflowPoints) inflows.push((await minuteMeans(store, id, start, end)).samples);
  // Metered volumes are reported only from `first` on: the nights before it need the inlets alone.
  const meters = [];
  for (const p of d.meterPoints) {
    meters.push({ id: p.tag, samples: (await hourlyRegister(store, p.id, first - DAY_MS, end)).samples });
  }
  const days = dmaBalance({ inflows, meters, from: start, to: end }, optionsOf(cfg, d));
  return days.filter((x) => x.start >= first);
}
