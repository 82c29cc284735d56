import { silentLogger } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import type { EdgeStatus } from '@watershed/model';
import { createBroker, type Broker } from '@watershed/mqtt-broker';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../config.js';
import { startEdgeRuntime } from '../runtime.js';
import { MGMT_DEFAULTS, memoryModule, type MemoryBank } from '../test-support.js';
import { CatalogAssembler, type AssembledCatalog } from './catalog-assembler.js';
import { catalogFilter, decodeCatalogPart } from './catalog-part.js';

// Our broker with its default 1 MiB packet limit: the whole 30,000-tag catalog (~2 MB here,
// with units and descriptions) would be refused as one PUBLISH and the gateway dropped.
let broker: Broker;
let url: string;

beforeAll(async () => {
  broker = createBroker({ sysIntervalMs: 0 });
  const listener = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
  url = `mqtt://127.0.0.1:${listener.port}`;
});
afterAll(async () => {
  await broker?.close();
});

function devices(): DeviceConfig[] {
  return Array.from({ length: 30 }, (_, d) => ({
    name: `plc${d}`,
    driver: 'memory',
    config: { bank: `b${d}` },
    groups: [
      {
        name: `g${d}`,
        intervalMs: 60_000,
        tags: Array.from({ length: 1000 }, (_, t) => ({
          name: `flow_${t}`,
          address: `r${t}`,
          dataType: 'float' as const,
          unit: 'm3/h',
          description: `inlet flow meter ${t} of line ${d}`,
        })),
      },
    ],
  }));
}

describe('tag catalog in parts over a real broker', () => {
  it('gets a 30,000-tag catalog through a 1 MiB broker in parts that a subscriber reassembles', async () => {
    const sub = await connectAsync(url, { reconnectPeriod: 0 });
    const assembler = new CatalogAssembler();
    const complete: AssembledCatalog[] = [];
    const statuses: EdgeStatus[] = [];
    let partCount = 0;
    let largest = 0;
    sub.on('message', (topic, payload) => {
      if (topic.endsWith('/mgmt/status')) {
        statuses.push(JSON.parse(payload.toString()) as EdgeStatus);
        return;
      }
      const part = decodeCatalogPart(payload);
      if (!part) throw new Error(`not a catalog part on ${topic}`);
      partCount++;
      largest = Math.max(largest, payload.length);
      const outcome = assembler.add(part);
      if (outcome.kind === 'complete') complete.push(outcome.catalog);
    });
    await sub.subscribeAsync([catalogFilter('plant', 'gw'), 'ws/v1/plant/gw/mgmt/status'], { qos: 1 });

    const banks = new Map<string, MemoryBank>();
    const config = devices();
    const edge = await startEdgeRuntime({
      drivers: [memoryModule(banks)],
      logger: silentLogger(),
      config: {
        site: 'plant',
        node: 'gw',
        uplink: { url, keepaliveS: 30, reconnectMs: 200, qos: 1, catalogPartBytes: 256 * 1024 },
        buffer: { maxMessages: 1000, replayRatePerS: 1000, window: 16 },
        mgmt: { ...MGMT_DEFAULTS, enabled: false },
        devices: config,
      },
    });
    try {
      await waitFor(() => complete.length > 0, {
        message: 'the catalog was not reassembled',
        timeoutMs: 20_000,
      });
      const catalog = complete[0]!;
      expect(catalog.groups).toHaveLength(30);
      expect(catalog.groups.reduce((n, g) => n + g.tags.length, 0)).toBe(30_000);
      expect(catalog.groups[7]).toMatchObject({ name: 'g7', device: 'plc7', intervalMs: 60_000 });
      expect(catalog.groups[7]?.tags[999]).toEqual({
        name: 'flow_999',
        dataType: 'float',
        unit: 'm3/h',
        description: 'inlet flow meter 999 of line 7',
      });
      expect(partCount).toBeGreaterThanOrEqual(8);
      expect(largest).toBeLessThanOrEqual(256 * 1024);
      // The status is small now: no inline catalog, and the broker kept the gateway connected.
      const birth = statuses.find((s) => s.online);
      expect(birth).toMatchObject({ node: 'gw', online: true });
      expect(birth?.groups).toBeUndefined();
      expect(edge.health().uplink.connected).toBe(true);
      expect(assembler.missing('gw')).toBeUndefined();

      // A late subscriber gets the same catalog from the retained parts alone.
      const late = await connectAsync(url, { reconnectPeriod: 0 });
      const lateAssembler = new CatalogAssembler();
      let lateCatalog: AssembledCatalog | undefined;
      late.on('message', (_topic, payload) => {
        const outcome = lateAssembler.add(decodeCatalogPart(payload)!);
        if (outcome.kind === 'complete') lateCatalog = outcome.catalog;
      });
      await late.subscribeAsync(catalogFilter('plant', 'gw'), { qos: 1 });
      await waitFor(() => lateCatalog, { message: 'retained parts did not reassemble' });
      expect(lateCatalog?.checksum).toBe(catalog.checksum);
      await late.endAsync();
    } finally {
      await edge.close();
      await sub.endAsync();
    }
  }, 40_000);
});
