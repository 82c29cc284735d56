import { describe, expect, it } from 'vitest';
import { parseAddress } from '@watershed/driver-modbus';
import {
  DEFAULT_LAYOUT,
  gatewayConfig,
  groupTags,
  tagAddress,
  totalGroups,
  totalTags,
  valueAt,
  type PlantLayout,
} from './plan.js';

describe('edge plant layout', () => {
  it('lays 30,000 float32 tags over 30 devices in 120 groups', () => {
    expect(totalTags(DEFAULT_LAYOUT)).toBe(30_000);
    expect(totalGroups(DEFAULT_LAYOUT)).toBe(120);
    const config = gatewayConfig(
      DEFAULT_LAYOUT,
      Array.from({ length: 30 }, (_, i) => 1000 + i),
      {
        bufferFile: '/tmp/x.sqlite',
        brokerUrl: 'mqtt://127.0.0.1:1',
      },
    );
    const tags = config.devices.flatMap((d) => d.groups.flatMap((g) => g.tags));
    expect(tags).toHaveLength(30_000);
    expect(new Set(config.devices.flatMap((d) => d.groups.map((g) => g.name))).size).toBe(120);
  });

  it('packs tags two registers apart from holding register 1', () => {
    const first = parseAddress(tagAddress(0), 'float');
    const last = parseAddress(tagAddress(999), 'float');
    expect(first.ok && first.address).toMatchObject({ area: 'holdingRegisters', address: 0, count: 2 });
    expect(last.ok && last.address).toMatchObject({ address: 1998, count: 2 });
    expect(groupTags(DEFAULT_LAYOUT, 3)).toEqual(Array.from({ length: 250 }, (_, i) => 750 + i));
  });

  it('moves every value each second, or the given fraction of them', () => {
    const changed = (l: PlantLayout, k: number): number => {
      let n = 0;
      for (let t = 0; t < 1000; t++) if (valueAt(l, 0, t, k) !== valueAt(l, 0, t, k - 1)) n++;
      return n;
    };
    expect(changed(DEFAULT_LAYOUT, 5)).toBe(1000);
    const tenth = { ...DEFAULT_LAYOUT, changeFraction: 0.1 };
    for (const k of [1, 2, 3, 17]) expect(changed(tenth, k)).toBe(100);
  });
});
