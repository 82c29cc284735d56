import { describe, expect, it } from 'vitest';
import type { Point } from '@watershed/model';
import { categoryOf, groupPoints, matchesQuery, sitesOf } from './grouping.js';

function pt(tag: string, extra: Partial<Point> = {}): Point {
  return { id: `s.n.g.${tag}`, site: 's', node: 'n', group: 'g', tag, ...extra };
}

describe('categoryOf', () => {
  it('sorts by what the point measures', () => {
    expect(categoryOf({ quantity: 'pressure' })).toBe('pressures');
    expect(categoryOf({ quantity: 'chlorine' })).toBe('quality');
    expect(categoryOf({ quantity: 'level', asset: 'tank1' })).toBe('tanks');
    expect(categoryOf({})).toBe('other');
  });

  it('keeps everything measured on a pump with the pump', () => {
    expect(categoryOf({ quantity: 'flow', asset: 'pump2' })).toBe('pumps');
    expect(categoryOf({ quantity: 'flow', asset: 'P3' })).toBe('pumps');
    expect(categoryOf({ quantity: 'flow', asset: 'inlet' })).toBe('flows');
  });
});

describe('groupPoints', () => {
  it('orders sections like a mimic and points by asset, then name (numeric-aware)', () => {
    const groups = groupPoints([
      pt('cl', { quantity: 'chlorine' }),
      pt('p10_run', { quantity: 'status', asset: 'pump10', name: 'Pump 10 running' }),
      pt('p2_run', { quantity: 'status', asset: 'pump2', name: 'Pump 2 running' }),
      pt('p2_speed', { quantity: 'speed', asset: 'pump2', name: 'Pump 2 speed' }),
      pt('t1', { quantity: 'level', asset: 'tank1' }),
    ]);
    expect(groups.map((g) => g.key)).toEqual(['pumps', 'tanks', 'quality']);
    expect(groups[0]!.points.map((p) => p.tag)).toEqual(['p2_run', 'p2_speed', 'p10_run']);
  });
});

describe('matchesQuery', () => {
  const p = pt('pt101', { name: 'Discharge pressure', asset: 'pump1', quantity: 'pressure', unit: 'bar' });

  it('matches every word anywhere, ignoring case', () => {
    expect(matchesQuery(p, '')).toBe(true);
    expect(matchesQuery(p, 'DISCHARGE pump1')).toBe(true);
    expect(matchesQuery(p, 'bar pt101')).toBe(true);
    expect(matchesQuery(p, 'discharge level')).toBe(false);
  });
});

describe('sitesOf', () => {
  it('lists each site once, largest first, then by name', () => {
    expect(sitesOf([{ site: 'b' }, { site: 'a' }, { site: 'b' }])).toEqual(['b', 'a']);
    expect(sitesOf([{ site: 'd' }, { site: 'c' }])).toEqual(['c', 'd']);
  });
});
