import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { DriverModule } from '@watershed/driver-sdk';
import type { ConfigPush } from '@watershed/model';
import { describe, expect, it } from 'vitest';
import type { DeviceConfig, EdgeConfig } from './config.js';
import { DriverCatalog, driverIdsOf, type DriverEntry } from './driver-catalog.js';
import { EdgeErrors } from './errors.js';
import { configChecksum } from './mgmt/checksum.js';
import { ConfigApplier } from './mgmt/config-apply.js';
import { ConfigStore } from './mgmt/config-store.js';
import { Plant } from './plant.js';
import { MGMT_DEFAULTS, memoryModule } from './test-support.js';

/** A loader that counts its calls and can be told to fail. */
function counted(module: DriverModule, opts: { fail?: boolean; id?: string } = {}) {
  const entry = {
    id: opts.id ?? module.id,
    calls: 0,
    fail: opts.fail ?? false,
    load(): Promise<DriverModule> {
      entry.calls++;
      return entry.fail ? Promise.reject(new Error('cannot find module')) : Promise.resolve(module);
    },
  };
  return entry satisfies DriverEntry;
}

const renamed = (id: string): DriverModule => ({ ...memoryModule(new Map()), id });

describe('DriverCatalog', () => {
  it('loads only the drivers asked for, each once, and lists every registered id', async () => {
    const a = counted(renamed('a'));
    const b = counted(renamed('b'));
    const catalog = new DriverCatalog([a, b]);
    const [first, again] = await Promise.all([catalog.load(['a', 'a']), catalog.load(['a', 'unknown'])]);
    expect(first.map((m) => m.id)).toEqual(['a']);
    expect(again.map((m) => m.id)).toEqual(['a']);
    expect(a.calls).toBe(1);
    expect(b.calls).toBe(0);
    expect(catalog.ids).toEqual(['a', 'b']);
    expect([...catalog.loaded.keys()]).toEqual(['a']);
  });

  it('takes loaded modules as they are', async () => {
    const m = renamed('m');
    const catalog = new DriverCatalog([m]);
    expect(catalog.loaded.get('m')).toBe(m);
    expect(await catalog.load(['m'])).toEqual([m]);
  });

  it('does not remember a failed load, so a later config may load it', async () => {
    const a = counted(renamed('a'), { fail: true });
    const catalog = new DriverCatalog([a]);
    await expect(catalog.load(['a'])).rejects.toThrow('cannot find module');
    a.fail = false;
    expect((await catalog.load(['a'])).map((m) => m.id)).toEqual(['a']);
    expect(a.calls).toBe(2);
  });

  it('refuses a module whose id is not the one it is registered under', async () => {
    const catalog = new DriverCatalog([counted(renamed('b'), { id: 'a' })]);
    await expect(catalog.load(['a'])).rejects.toMatchObject({ code: EdgeErrors.DRIVER_LOAD.code });
    expect(catalog.loaded.size).toBe(0);
  });
});

describe('driverIdsOf', () => {
  it('reads the driver ids of a raw plant config and ignores what is malformed', () => {
    expect(driverIdsOf({ devices: [{ driver: 'a' }, { driver: 3 }, null, { driver: 'b' }] })).toEqual([
      'a',
      'b',
    ]);
    expect(driverIdsOf(null)).toEqual([]);
    expect(driverIdsOf({ devices: 'x' })).toEqual([]);
  });
});

describe('a gateway with a catalog of loaders', () => {
  const device = (driver: string, tag: string): DeviceConfig => ({
    name: 'plc',
    driver,
    config: {},
    groups: [{ name: 'g', intervalMs: 1000, tags: [{ name: tag, address: 'r1', dataType: 'float' }] }],
  });

  it('loads the driver a pushed config names only when that config comes', async () => {
    const clock = new FakeClock(0);
    const local = counted(renamed('local'));
    const later = counted(renamed('later'));
    const broken = counted(renamed('broken'), { fail: true });
    const catalog = new DriverCatalog([local, later, broken]);
    const base: EdgeConfig = {
      site: 's',
      node: 'n',
      uplink: { url: 'mqtt://127.0.0.1:1', keepaliveS: 30, reconnectMs: 1000, qos: 1 },
      buffer: { maxMessages: 10, replayRatePerS: 10, window: 1 },
      mgmt: MGMT_DEFAULTS,
      devices: [device('local', 'first')],
    };
    await catalog.load(['local']);
    const applier = await ConfigApplier.start({
      base,
      modules: catalog,
      store: new ConfigStore(undefined),
      clock,
      logger: silentLogger(),
      buildPlant: (devices) =>
        Plant.build({
          devices,
          modules: catalog.loaded,
          clock,
          logger: silentLogger(),
          onPoll: () => undefined,
        }),
    });
    expect(later.calls).toBe(0);
    const push = (version: number, config: Record<string, unknown>): ConfigPush => ({
      v: 1,
      version,
      checksum: configChecksum(config),
      config,
    });

    const applied = await applier.apply(push(1, { devices: [device('later', 'second')] }));
    expect(applied).toMatchObject({ result: 'applied', running: 1 });
    expect(later.calls).toBe(1);
    expect(applier.running.plant.catalog()[0]?.tags[0]?.name).toBe('second');

    const refused = await applier.apply(push(2, { devices: [device('broken', 'third')] }));
    expect(refused).toMatchObject({ result: 'rejected', running: 1, code: EdgeErrors.DRIVER_LOAD.code });
    const unknown = await applier.apply(push(3, { devices: [device('nowhere', 'fourth')] }));
    expect(unknown).toMatchObject({ result: 'rejected', running: 1 });
    expect(JSON.stringify(unknown)).toContain('local, later, broken');
    await applier.close();
  });
});
