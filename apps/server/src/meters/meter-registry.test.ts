import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { districtResolver } from './district.js';
import { MeterRegistry } from './meter-registry.js';

let dir: string;
let store: Store;
let upserts: number;
let registry: MeterRegistry;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-meter-registry-'));
  store = await openEmbeddedStore({ dir, flushIntervalMs: 5 });
  upserts = 0;
  const upsert = store.upsertPoints.bind(store);
  store.upsertPoints = (points) => {
    upserts++;
    return upsert(points);
  };
  registry = new MeterRegistry(store, [{ id: 'a', project: 'p/q', protocol: 'mqtt-json' }]);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the meter registry', () => {
  it('declares a meter once however many first readings arrive together', async () => {
    await Promise.all([
      registry.ensure('a', 'm1', 'north', ['total', 'batteryLow']),
      registry.ensure('a', 'm1', 'north', ['total', 'batteryLow']),
      registry.ensure('a', 'm1', 'north', ['total']),
    ]);
    expect(upserts).toBe(1);
    await registry.ensure('a', 'm1', 'north', ['total', 'valveOpen']);
    expect(upserts).toBe(2);
    expect((await store.listPoints({ node: 'nbiot-a' })).map((p) => p.id)).toEqual([
      'north.nbiot-a.meters-battery-low.m1',
      'north.nbiot-a.meters-valve-open.m1',
      'north.nbiot-a.meters.m1',
    ]);
    expect(registry.find('a', 'm1')).toEqual({
      id: 'm1',
      vendor: 'a',
      district: 'north',
      project: 'p/q',
      protocol: 'mqtt-json',
    });
  });

  it('leaves a meter unregistered when the store refused its points, so the next reading retries', async () => {
    store.upsertPoints = () => Promise.reject(new Error('disk full'));
    await expect(registry.ensure('a', 'm2', 'north', ['total'])).rejects.toThrow('disk full');
    expect(registry.find('a', 'm2')).toBeUndefined();
  });

  it('loads what earlier runs registered', async () => {
    await registry.ensure('a', 'm3', 'east', ['total']);
    const again = new MeterRegistry(store, [{ id: 'a', project: 'p/q', protocol: 'mqtt-json' }]);
    await again.load();
    expect(again.byId('m3')?.district).toBe('east');
    expect(again.all().map((m) => m.id)).toEqual(['m3']);
  });
});

describe('district mappings', () => {
  it('reads the district from the payload, with a fallback, refusing unusable names', () => {
    const strict = districtResolver({ from: 'payload', path: 'site.district' }, 'a', registry);
    expect(strict({ site: { district: 'north' } }, 'm')).toEqual({ ok: true, district: 'north' });
    expect(strict({ site: { district: 7 } }, 'm')).toEqual({ ok: true, district: '7' });
    const bad = strict({ site: { district: 'north.east' } }, 'm');
    expect(!bad.ok && bad.error.code).toBe('WS_ERR_METER_BAD_DISTRICT');
    const none = strict({}, 'm');
    expect(!none.ok && none.error.code).toBe('WS_ERR_METER_NO_DISTRICT');
    const lenient = districtResolver({ from: 'payload', path: 'district', fallback: 'x' }, 'a', registry);
    expect(lenient({}, 'm')).toEqual({ ok: true, district: 'x' });
  });

  it('prefers a config assignment, then the registered district, then the fallback', async () => {
    await registry.ensure('a', 'known', 'east', ['total']);
    const r = districtResolver(
      { from: 'registry', assignments: { moved: 'west' }, fallback: 'unassigned' },
      'a',
      registry,
    );
    expect(r({}, 'moved')).toEqual({ ok: true, district: 'west' });
    expect(r({}, 'known')).toEqual({ ok: true, district: 'east' });
    expect(r({}, 'new')).toEqual({ ok: true, district: 'unassigned' });
    const strict = districtResolver({ from: 'registry' }, 'a', registry);
    const out = strict({}, 'new');
    expect(!out.ok && out.error.code).toBe('WS_ERR_METER_NO_DISTRICT');
  });
});
