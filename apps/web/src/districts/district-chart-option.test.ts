import { describe, expect, it } from 'vitest';
import { balanceOption, DISTRICT_COLORS, nightFlowOption } from './district-chart-option.js';
import type { DmaDay } from './districts-types.js';

const base: DmaDay = {
  date: '2026-11-20',
  start: 0,
  end: 1,
  systemInputM3: 1200.4,
  inflowCoveragePct: 100,
  meteredM3: 1000.2,
  meterCoveragePct: 98,
  nrwM3: 200.2,
  nrwPct: 16.68,
  mnfM3h: 20.123,
  mnfAt: null,
  allowanceM3h: 5,
  leakEstimateM3h: 15.1,
  baselineM3h: 16,
  mnfRiseM3h: 4.1,
  leak: false,
  resets: 0,
  rollovers: 0,
  reverse: 0,
};
const days: DmaDay[] = [
  base,
  { ...base, date: '2026-11-21', nrwPct: null, systemInputM3: null },
  { ...base, date: '2026-11-22', mnfM3h: 31.5, leak: true },
];
const series = (o: { series?: unknown }) => o.series as { name: string; data: unknown[] }[];

describe('district chart options', () => {
  it('draws input and metered volume per day, and NRW with a gap where it is not known', () => {
    const o = balanceOption(days, { systemInput: 'In', metered: 'Metered', nrwPct: 'NRW', volumeAxis: 'm³' });
    expect(o.xAxis).toMatchObject({ data: ['2026-11-20', '2026-11-21', '2026-11-22'] });
    const [input, metered, nrw] = series(o);
    expect(input).toMatchObject({ name: 'In', data: [1200, null, 1200] });
    expect(metered).toMatchObject({ name: 'Metered', data: [1000, 1000, 1000] });
    expect(nrw).toMatchObject({ name: 'NRW', data: [16.7, null, 16.7], yAxisIndex: 1 });
  });

  it('draws each night flow, red on a flagged night, with baseline and allowance lines', () => {
    const o = nightFlowOption(days, {
      mnf: 'MNF',
      baseline: 'Baseline',
      allowance: 'Allowance',
      leak: 'Leak',
      flowAxis: 'm³/h',
    });
    const [mnf, baseline, allowance] = series(o);
    expect(mnf!.data).toEqual([
      { value: 20.12, itemStyle: { color: DISTRICT_COLORS.mnf } },
      { value: 20.12, itemStyle: { color: DISTRICT_COLORS.mnf } },
      { value: 31.5, itemStyle: { color: DISTRICT_COLORS.leak } },
    ]);
    expect(baseline).toMatchObject({ name: 'Baseline', data: [16, 16, 16] });
    expect(allowance).toMatchObject({ name: 'Allowance', data: [5, 5, 5] });
  });
});
