import { describe, expect, it } from 'vitest';
import type { OverviewFeature } from './wire.js';
import { buildOverviewMap, unconfiguredMap } from './map-builder.js';
import { NETWORKS_DIR } from './networks.test-support.js';

type Kind = OverviewFeature['properties']['kind'];
const ofKind = (features: readonly OverviewFeature[], kind: Kind) =>
  features.filter((f) => f.properties.kind === kind);

describe('buildOverviewMap', () => {
  it('lays three copies of L-Town side by side, each 1000 units wide, with sites at their elements', async () => {
    const doc = await buildOverviewMap({
      networksDir: NETWORKS_DIR,
      districts: [
        { id: 'north', network: 'L-TOWN' },
        { id: 'east', network: 'L-TOWN' },
        { id: 'hill', network: 'Net1', name: 'Hill' },
      ],
      sites: [
        { site: 'north-works', district: 'north', node: 'T1', kind: 'treatment-works', name: 'North works' },
        { site: 'east', gateway: 'east-prv', district: 'east', link: 'PRV-1' },
        { site: 'hill-works', district: 'hill', link: '9' },
      ],
    });
    const { map } = doc;
    expect(map.configured).toBe(true);
    const [north, east, hill] = map.districts;
    expect(north!.bbox[0]).toBe(0);
    // Side by side: each starts right of the previous one, with a gap, none overlapping.
    expect(east!.bbox[0]).toBeGreaterThan(north!.bbox[2]);
    expect(hill!.bbox[0]).toBeGreaterThan(east!.bbox[2]);
    expect(Math.max(north!.bbox[2] - north!.bbox[0], north!.bbox[3] - north!.bbox[1])).toBeCloseTo(1000, 0);
    // Net1 is drawn in no unit at all (tens); scaled to the same display size as L-Town's metres.
    expect(Math.max(hill!.bbox[2] - hill!.bbox[0], hill!.bbox[3] - hill!.bbox[1])).toBeCloseTo(1000, 0);
    expect(map.bbox).toEqual([0, expect.any(Number), hill!.bbox[2], expect.any(Number)]);

    const sites = ofKind(map.features, 'site');
    expect(sites.map((s) => s.properties)).toEqual([
      {
        kind: 'site',
        district: 'north',
        site: 'north-works',
        key: 'north-works',
        element: 'T1',
        name: 'North works',
        siteKind: 'treatment-works',
      },
      {
        kind: 'site',
        district: 'east',
        site: 'east',
        key: 'east.east-prv',
        gateway: 'east-prv',
        element: 'PRV-1',
      },
      { kind: 'site', district: 'hill', site: 'hill-works', key: 'hill-works', element: '9' },
    ]);
    // The tank of north and the site at it are drawn at the same spot.
    const t1 = ofKind(map.features, 'tank').find((f) => f.properties.district === 'north');
    expect(sites[0]!.geometry.coordinates).toEqual(t1!.geometry.coordinates);
    for (const f of map.features) {
      const pts = f.geometry.type === 'Point' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const [x, y] of pts) {
        expect(x).toBeGreaterThanOrEqual(map.bbox[0] - 0.1);
        expect(x).toBeLessThanOrEqual(map.bbox[2] + 0.1);
        expect(y).toBeGreaterThanOrEqual(map.bbox[1] - 0.1);
        expect(y).toBeLessThanOrEqual(map.bbox[3] + 0.1);
      }
    }
    expect(ofKind(map.features, 'reservoir')).toHaveLength(2 + 2 + 1);
    expect(ofKind(map.features, 'pump').map((f) => f.properties)).toContainEqual({
      kind: 'pump',
      district: 'north',
      id: 'PUMP_1',
    });
  });

  it('sends fewer lines than the models have links, every link still drawn', async () => {
    const { map, json } = await buildOverviewMap({
      networksDir: NETWORKS_DIR,
      districts: [
        { id: 'north', network: 'L-TOWN' },
        { id: 'metro', network: 'Net6' },
      ],
      sites: [],
    });
    const pipes = ofKind(map.features, 'pipe');
    const links = map.districts.reduce((n, d) => n + d.links, 0);
    const drawn = pipes.reduce((n, f) => n + (f.properties.kind === 'pipe' ? f.properties.links : 0), 0);
    // Lines shorter than the display resolution are dropped; nearly every link is drawn.
    expect(drawn).toBeGreaterThan(links * 0.98);
    // L-Town's mains and service streets merge into runs; Net6 branches at most junctions.
    const north = pipes.filter((f) => f.properties.district === 'north').length;
    expect(north).toBeLessThan(map.districts[0]!.links * 0.5);
    expect(pipes.length).toBeLessThan(links * 0.65);
    // L-Town + Net6 (~4,800 links) in about half a megabyte before compression.
    expect(json.length).toBeLessThan(600_000);
    const diameters = new Set(pipes.map((f) => (f.properties.kind === 'pipe' ? f.properties.diameterMm : 0)));
    expect(diameters.size).toBeGreaterThan(5);
  });

  it('gives the same document the same entity tag, and another one another', async () => {
    const config = { networksDir: NETWORKS_DIR, districts: [{ id: 'hill', network: 'Net1' }], sites: [] };
    const a = await buildOverviewMap(config);
    const b = await buildOverviewMap(config);
    const c = await buildOverviewMap({ ...config, districts: [{ id: 'hill', network: 'Net1', size: 500 }] });
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(b.etag).toBe(a.etag);
    expect(c.etag).not.toBe(a.etag);
    expect(JSON.parse(a.json)).toEqual(a.map);
  });

  it('places a district where its offset says', async () => {
    const { map } = await buildOverviewMap({
      networksDir: NETWORKS_DIR,
      districts: [{ id: 'hill', network: 'Net1', offset: { x: 5000, y: -200 }, size: 200 }],
      sites: [],
    });
    expect(map.districts[0]!.bbox[0]).toBe(5000);
    expect(map.districts[0]!.bbox[1]).toBe(-200);
  });

  it('names the config path of a missing file, an unknown district or element', async () => {
    await expect(
      buildOverviewMap({
        networksDir: NETWORKS_DIR,
        districts: [{ id: 'x', network: 'Nowhere' }],
        sites: [],
      }),
    ).rejects.toThrow(/overview\.map\.districts\[0\]: network file Nowhere\.inp not found/);
    await expect(
      buildOverviewMap({
        networksDir: NETWORKS_DIR,
        districts: [{ id: 'hill', network: 'Net1' }],
        sites: [{ site: 'w', district: 'north', node: '9' }],
      }),
    ).rejects.toThrow(/overview\.map\.sites\[0\]: district "north" is not among/);
    await expect(
      buildOverviewMap({
        networksDir: NETWORKS_DIR,
        districts: [{ id: 'hill', network: 'Net1' }],
        sites: [
          { site: 'w', district: 'hill', node: '9' },
          { site: 'v', district: 'hill', node: 'nope' },
        ],
      }),
    ).rejects.toThrow(/overview\.map\.sites\[1\]: node "nope" is not in district "hill"/);
    await expect(
      buildOverviewMap({
        networksDir: NETWORKS_DIR,
        districts: [
          { id: 'hill', network: 'Net1' },
          { id: 'hill', network: 'Net1' },
        ],
        sites: [],
      }),
    ).rejects.toThrow(/overview\.map\.districts: "hill" appears twice/);
  });

  it('answers an empty, unconfigured map without a config', () => {
    const { map, etag } = unconfiguredMap();
    expect(map).toMatchObject({ configured: false, features: [], districts: [] });
    expect(etag).toMatch(/^".+"$/);
  });
});
