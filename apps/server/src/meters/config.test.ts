import { loadConfig } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { ServerConfig } from '../config.js';
import { checkMetersConfig } from './start-meters.js';

const load = (meters: unknown) =>
  loadConfig({ schema: ServerConfig, value: { meters }, label: 'server.yaml' }).meters!;

describe('the server config `meters:` section', () => {
  it('ships the three simulated vendors when the section is empty', () => {
    const m = load({});
    expect(m.vendors.map((v) => [v.id, v.transport.type, v.decoder])).toEqual([
      ['a', 'mqtt', 'vendor-a'],
      ['b', 'mqtt', 'vendor-b'],
      ['c', 'http', 'vendor-c'],
    ]);
    expect(m.bodyLimitBytes).toBe(1024 * 1024);
    expect(checkMetersConfig(m)).toEqual([]);
  });

  it('fills defaults inside a configured vendor', () => {
    const m = load({
      vendors: [
        {
          id: 'd',
          transport: { type: 'http', tokens: ['0123456789abcdef'] },
          decoder: { type: 'json', id: 'sn', time: { path: 't', format: 'epoch-ms' }, total: { path: 'v' } },
          district: { from: 'static', district: 'north' },
        },
      ],
    });
    expect(m.vendors[0]).toMatchObject({ project: 'default/default', transport: { maxBatch: 1000 } });
  });

  it('names the path of a bad value', () => {
    expect(() =>
      load({
        vendors: [
          {
            id: 'd',
            transport: { type: 'http', tokens: ['short'] },
            decoder: 'vendor-z',
            district: { from: 'static', district: 'no.dots' },
          },
        ],
      }),
    ).toThrow(/meters\.vendors\.0/);
  });

  it('reports duplicate vendor ids and unusable time formats by path', () => {
    const m = load({
      vendors: [
        {
          id: 'd',
          transport: { type: 'mqtt', topic: 'd/+' },
          decoder: { type: 'json', id: 'sn', time: { path: 't', format: 'dd.MM.yy' }, total: { path: 'v' } },
          district: { from: 'static', district: 'north' },
        },
        {
          id: 'd',
          transport: { type: 'mqtt', topic: 'e/+' },
          decoder: 'vendor-a',
          district: { from: 'registry' },
        },
      ],
    });
    expect(checkMetersConfig(m).map((i) => i.path)).toEqual([
      'meters.vendors.0.decoder.time',
      'meters.vendors.1.id',
    ]);
  });
});
