import { describe, expect, it } from 'vitest';
import type { Point } from '@watershed/model';
import { matchesQuery, seriesLabels } from './explorer-points.js';

const p = (id: string, extra: Partial<Point> = {}): Point => {
  const [site = '', node = '', group = '', tag = ''] = id.split('.');
  return { id, site, node, group, tag, ...extra };
};

describe('point search', () => {
  const flow = p('north.plc1.pumps.p1_flow', { name: 'Pump 1 flow', unit: 'm³/h', quantity: 'flow' });

  it('matches every word against id, name, site, unit and quantity, ignoring case', () => {
    expect(matchesQuery(flow, '')).toBe(true);
    expect(matchesQuery(flow, 'NORTH flow')).toBe(true);
    expect(matchesQuery(flow, 'm³/h')).toBe(true);
    expect(matchesQuery(flow, 'p1_flow')).toBe(true);
    expect(matchesQuery(flow, 'north pressure')).toBe(false);
  });
});

describe('legend labels', () => {
  it('are the name and unit, told apart by site and then id when names repeat', () => {
    const labels = seriesLabels([
      p('north.a.g.flow', { name: 'Flow', unit: 'm³/h' }),
      p('east.a.g.flow', { name: 'Flow', unit: 'm³/h' }),
      p('east.b.g.flow', { name: 'Flow', unit: 'm³/h' }),
      p('east.b.g.level'),
    ]);
    expect([...labels.values()]).toEqual([
      'Flow [m³/h] · north',
      'Flow [m³/h] · east.a.g.flow',
      'Flow [m³/h] · east.b.g.flow',
      'level',
    ]);
  });
});
