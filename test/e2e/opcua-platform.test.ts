import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type Platform } from '@watershed/cli';
import { waitFor } from '@watershed/common/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latest } from '../support/api.js';

// The same slice as platform.test.ts with the plant's PLC speaking OPC UA: simulator (EPANET
// Net3 → node-opcua server) → edge gateway (opcua driver) → MQTT → broker → store → REST API.

let platform: Platform;
let dataDir: string;
/** Every numeric value the simulator served, by tag: a stored value must be one of them. */
const served = new Map<string, number[]>();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ws-e2e-opcua-'));
  platform = await startPlatform({
    dataDir,
    apiPort: 0,
    mqttPort: 0,
    opcuaPlants: ['net3-plant'],
    opcuaPort: 0,
    speed: 60,
    seed: 11,
    pollIntervalMs: 500,
  });
  const plant = platform.sim.plants[0]!;
  const record = (): void => {
    for (const [tag, v] of Object.entries(platform.sim.current(plant.id)))
      if (typeof v === 'number') (served.get(tag) ?? served.set(tag, []).get(tag)!).push(v);
  };
  record();
  platform.sim.onTick(record);
});

afterAll(async () => {
  await platform?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('platform with an OPC UA plant', () => {
  it('serves the plant over OPC UA and its gateway reads it with the opcua driver', () => {
    const plant = platform.sim.plants[0]!;
    expect(plant.protocol).toBe('opcua');
    expect(plant.endpointUrl).toMatch(/^opc\.tcp:\/\//);
    expect(platform.edgeConfigs[0]!.devices[0]!.driver).toBe('opcua');
  });

  it('stores good values that the simulator served', async () => {
    const plant = platform.sim.plants[0]!;
    const edge = platform.edgeConfigs[0]!;
    const numeric = plant.tags.filter((t) => typeof platform.sim.current(plant.id)[t.tag] === 'number');
    expect(numeric.length).toBeGreaterThan(5);
    for (const t of numeric) {
      const id = `${edge.site}.${edge.node}.process.${t.tag}`;
      const s = await waitFor(
        async () => {
          const r = await latest(platform.server, id);
          return r?.quality === 'good' ? r : undefined;
        },
        { timeoutMs: 60_000, message: `no good value for ${id}` },
      );
      const seen = served.get(t.tag) ?? [];
      // OPC UA carries the served Double/Float as is; allow float32 rounding for Float tags.
      expect(
        seen.some((v) => Math.abs(v - Number(s.value)) <= 1e-5 * Math.max(1, Math.abs(v))),
        `${id}: stored ${String(s.value)} not among the ${seen.length} values served`,
      ).toBe(true);
    }
  });
});
