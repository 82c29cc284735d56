import { describe, expect, it } from 'vitest';
import { tEn } from '../i18n/translate.js';
import {
  cardDay,
  complianceBand,
  formatM3,
  formatPct,
  limitText,
  mnfRatio,
  rangeOf,
  reasonText,
  sitesOfPoints,
  sortDataQuality,
  sortDistricts,
} from './districts-logic.js';
import type { DistrictSummary, DmaDay, PointDataQuality } from './districts-types.js';

function day(over: Partial<DmaDay> = {}): DmaDay {
  return {
    date: '2026-11-27',
    start: 0,
    end: 86_400_000,
    systemInputM3: 1200,
    inflowCoveragePct: 100,
    meteredM3: 1000,
    meterCoveragePct: 98,
    nrwM3: 200,
    nrwPct: 16.7,
    mnfM3h: 20,
    mnfAt: 10_800_000,
    allowanceM3h: 5,
    leakEstimateM3h: 15,
    baselineM3h: 16,
    mnfRiseM3h: 4,
    leak: false,
    resets: 0,
    rollovers: 0,
    reverse: 0,
    ...over,
  };
}

function district(over: Partial<DistrictSummary>): DistrictSummary {
  return {
    id: 'd',
    name: 'D',
    project: 'p',
    inflowPoints: [],
    meters: 0,
    properties: 0,
    today: null,
    yesterday: null,
    leak: false,
    ...over,
  };
}

describe('districts logic', () => {
  it('writes volumes and shares for a control room, and a dash for what is not known', () => {
    expect(formatM3(1234.56, 'en')).toBe('1,235');
    expect(formatM3(12.34, 'en')).toBe('12.3');
    expect(formatM3(null)).toBe('—');
    expect(formatPct(16.666, 'en')).toBe('16.7 %');
    expect(formatPct(null)).toBe('—');
  });

  it("shows today's figures once today has a night flow, else yesterday's", () => {
    const today = day({ date: '2026-11-28', mnfM3h: null });
    const yesterday = day({ date: '2026-11-27' });
    expect(cardDay(district({ today, yesterday }))).toEqual({ day: yesterday, which: 'yesterday' });
    const night = day({ date: '2026-11-28' });
    expect(cardDay(district({ today: night, yesterday }))).toEqual({ day: night, which: 'today' });
    expect(cardDay(district({ today }))).toEqual({ day: today, which: 'today' });
    expect(cardDay(district({}))).toBeUndefined();
  });

  it('puts leaking districts first, then by name', () => {
    const sorted = sortDistricts([
      district({ id: 'b', name: 'B' }),
      district({ id: 'c', name: 'C', leak: true }),
      district({ id: 'a', name: 'A' }),
    ]);
    expect(sorted.map((d) => d.id)).toEqual(['c', 'a', 'b']);
  });

  it('relates the night flow to its baseline only when there is one', () => {
    expect(mnfRatio(day({ mnfM3h: 24, baselineM3h: 16 }))).toBe(1.5);
    expect(mnfRatio(day({ baselineM3h: null }))).toBeUndefined();
    expect(mnfRatio(day({ baselineM3h: 0 }))).toBeUndefined();
  });

  it('words known meter problems and falls back to the server text', () => {
    expect(reasonText({ code: 'reverse-flow', severity: 'fault', message: 'x' }, tEn)).toMatch(/backwards/i);
    expect(reasonText({ code: 'new-thing', severity: 'warn', message: 'from the server' }, tEn)).toBe(
      'from the server',
    );
  });

  it('bands compliance and writes limits as a reader would', () => {
    expect([99, 90, 50, null].map((p) => complianceBand(p))).toEqual(['good', 'warn', 'bad', 'none']);
    expect(limitText({ min: null, max: 1, unit: 'NTU' })).toBe('≤ 1 NTU');
    expect(limitText({ min: 6.5, max: 8.5, unit: '' })).toBe('6.5 – 8.5');
    expect(limitText({ min: 0.05, max: null, unit: 'mg/L' })).toBe('≥ 0.05 mg/L');
  });

  it('sorts the data-quality table by a column with a stable tie-break', () => {
    const row = (point: string, score: number) => ({ point, score }) as PointDataQuality;
    const items = [row('b', 50), row('a', 50), row('c', 90)];
    expect(sortDataQuality(items, 'score', false).map((r) => r.point)).toEqual(['a', 'b', 'c']);
    expect(sortDataQuality(items, 'score', true).map((r) => r.point)).toEqual(['c', 'a', 'b']);
    expect(sortDataQuality(items, 'point', true).map((r) => r.point)).toEqual(['c', 'b', 'a']);
  });

  it('derives ranges and the sites of points', () => {
    expect(rangeOf(7, 10 * 86_400_000)).toEqual({ from: 3 * 86_400_000, to: 10 * 86_400_000 });
    expect(sitesOfPoints(['north.plc.flow.in', 'north.plc.flow.b', 'east.x.y.z'])).toEqual(['east', 'north']);
  });
});
