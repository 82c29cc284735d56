import { describe, expect, it } from 'vitest';
import { level, percent, siteState, sortSites, volume } from './overview-logic.js';
import type { SiteSummary } from './overview-types.js';

const zero = { critical: 0, major: 0, minor: 0, warning: 0 };
const site = (key: string, over: Partial<SiteSummary> = {}): SiteSummary => ({
  key,
  site: key,
  points: 10,
  fresh: 10,
  alarms: zero,
  keyPoints: [],
  ...over,
});

describe('overview logic', () => {
  it('gives a site the state of its worst alarm, then bad live quality, then staleness', () => {
    expect(siteState(site('a', { alarms: { ...zero, minor: 1, major: 2 } }), [])).toBe('major');
    expect(siteState(site('a'), ['good', 'bad'])).toBe('bad');
    expect(siteState(site('a', { fresh: 4 }), ['good'])).toBe('stale');
    expect(siteState(site('a', { points: 0, fresh: 0 }), [])).toBe('unknown');
    expect(siteState(site('a'), ['good', undefined])).toBe('ok');
  });

  it('writes shares as percents without rounding 99.6 up to 100', () => {
    expect(percent(null)).toBe('—');
    expect(percent(0.5)).toBe('50 %');
    expect(percent(0.996)).toBe('99.6 %');
    expect(percent(1)).toBe('100 %');
    expect(level(0.97)).toBe('good');
    expect(level(0.9)).toBe('warn');
    expect(level(0.5)).toBe('bad');
    expect(level(null)).toBe('none');
  });

  it('groups thousands of a volume the locale’s way', () => {
    expect(volume(12345.6, 'en')).toBe('12,346');
    expect(volume(12.34, 'en')).toBe('12.3');
    expect(volume(null, 'en')).toBe('—');
  });

  it('lists sites in alarm first, worst first, then by name', () => {
    const sorted = sortSites([
      site('b'),
      site('a'),
      site('m', { alarms: { ...zero, minor: 1 } }),
      site('c', { alarms: { ...zero, critical: 1 } }),
    ]);
    expect(sorted.map((s) => s.key)).toEqual(['c', 'm', 'a', 'b']);
  });
});
