import type { Json } from '@watershed/store';
import { describe, expect, it } from 'vitest';
import { diffConfigs } from './config-diff.js';

const tag = (name: string, extra: { [k: string]: Json } = {}) => ({
  name,
  address: 'r1',
  dataType: 'float',
  ...extra,
});
const cfg = (tags: Json[], intervalMs = 1000) => ({
  devices: [{ name: 'plc', driver: 'sim', config: { host: 'a' }, groups: [{ name: 'g', intervalMs, tags }] }],
});

describe('diffConfigs', () => {
  it('matches named items by name: an inserted tag is one addition, a limit change one change', () => {
    const a = cfg([tag('level'), tag('flow', { max: 10 })]);
    const b = cfg([tag('sp'), tag('level'), tag('flow', { max: 12 })], 500);
    expect(diffConfigs(a, b)).toEqual({
      added: [{ path: 'devices[plc].groups[g].tags[sp]', value: tag('sp') }],
      removed: [],
      changed: [
        { path: 'devices[plc].groups[g].intervalMs', from: 1000, to: 500 },
        { path: 'devices[plc].groups[g].tags[flow].max', from: 10, to: 12 },
      ],
    });
  });

  it('reports removed keys and items, compares other arrays by index, and finds nothing between equal configs', () => {
    const a = { devices: [], list: [1, 2, 3], gone: { x: 1 } };
    const b = { devices: [], list: [1, 5], extra: null };
    expect(diffConfigs(a, b)).toEqual({
      added: [{ path: 'extra', value: null }],
      removed: [
        { path: 'gone', value: { x: 1 } },
        { path: 'list[2]', value: 3 },
      ],
      changed: [{ path: 'list[1]', from: 2, to: 5 }],
    });
    expect(diffConfigs(cfg([tag('a')]), cfg([tag('a')]))).toEqual({ added: [], removed: [], changed: [] });
    expect(diffConfigs(cfg([tag('a')]), cfg([]))).toMatchObject({
      removed: [{ path: 'devices[plc].groups[g].tags[a]' }],
    });
  });
});
