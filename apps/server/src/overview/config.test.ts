import { loadConfig } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { ServerConfig } from '../config.js';

const load = (overview: unknown) =>
  loadConfig({ schema: ServerConfig, value: { overview }, label: 'server config' });

describe('the server config’s overview section', () => {
  it('fills in the KPI defaults', () => {
    const { overview } = load({});
    expect(overview).toMatchObject({
      supply: { tagPatterns: ['^FT\\d+_FLOW$', '^P[A-Za-z0-9]*_FLOW$'] },
      pressure: { minKpa: 280 },
      quality: { profile: 'standard' },
      completeness: { staleFactor: 3, defaultIntervalMs: 60_000 },
    });
  });

  it('names the path of a bad map entry', () => {
    expect(() => load({ map: { districts: [{ id: 'north' }] } })).toThrow(
      /overview\.map\.districts\.0\.network/,
    );
    expect(() =>
      load({
        map: { districts: [{ id: 'north', network: 'L-TOWN' }], sites: [{ site: 'a.b', district: 'north' }] },
      }),
    ).toThrow(/overview\.map\.sites\.0\.site/);
  });
});
