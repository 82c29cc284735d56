import { describe, expect, it } from 'vitest';
import { equalAspect, mapOption, type SiteDatum } from './map-option.js';
import type { OverviewMap } from './overview-types.js';

const MAP: OverviewMap = {
  type: 'FeatureCollection',
  configured: true,
  bbox: [0, 0, 2000, 500],
  districts: [],
  features: [
    {
      type: 'Feature',
      geometry: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [10, 10],
          [20, 0],
        ],
      },
      properties: { kind: 'pipe', district: 'a', diameterMm: 600, links: 3 },
    },
    {
      type: 'Feature',
      geometry: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [5, 5],
        ],
      },
      properties: { kind: 'pipe', district: 'a', diameterMm: 80, links: 1 },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [1, 2] },
      properties: { kind: 'tank', district: 'a', id: 'T1' },
    },
    {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [3, 4] },
      properties: { kind: 'site', district: 'a', site: 'a', key: 'a.works', gateway: 'works', element: 'T1' },
    },
  ],
};

describe('mapOption', () => {
  it('keeps one unit as long across as up, whatever the box', () => {
    const [x, y] = equalAspect([0, 0, 2000, 500], { width: 800, height: 800 });
    expect(x[1] - x[0]).toBeCloseTo(y[1] - y[0]);
    const [x2, y2] = equalAspect([0, 0, 100, 100], { width: 1600, height: 400 });
    expect((x2[1] - x2[0]) / (y2[1] - y2[0])).toBeCloseTo(4);
    expect(x2[0]).toBeLessThan(0);
    expect(x2[1]).toBeGreaterThan(100);
  });

  it('draws pipes by size class and sites in the colour of their state, named', () => {
    const option = mapOption(
      MAP,
      { width: 1000, height: 500 },
      new Map([['a.works', 'critical']]),
      (k) => `Site ${k}`,
    );
    const series = option.series as {
      type: string;
      id?: string;
      data: unknown[];
      lineStyle?: { width: number };
    }[];
    const lines = series.filter((s) => s.type === 'lines');
    const thick = lines.find((s) => s.data.length === 1 && s.lineStyle!.width > 3);
    const thin = lines.find((s) => s.data.length === 1 && s.lineStyle!.width < 1);
    expect(thick?.data).toEqual([
      {
        coords: [
          [0, 0],
          [10, 10],
          [20, 0],
        ],
      },
    ]);
    expect(thin).toBeDefined();
    const sites = series.find((s) => s.id === 'sites')!.data as SiteDatum[];
    expect(sites).toEqual([
      { name: 'Site a.works', value: [3, 4], key: 'a.works', site: 'a', itemStyle: { color: '#d93025' } },
    ]);
  });
});
