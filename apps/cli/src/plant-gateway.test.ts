import { loadConfig } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { checkGatewayConfig, EdgeConfig } from '@watershed/edge';
import { loadScenario, startSimulator, type Simulator } from '@watershed/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edgeConfigForConcentrator, edgeConfigForPlant } from './plant-gateway.js';

/** One station of each protocol, as the reference deployment describes it. */
const STATIONS = {
  'centre-river-works': 'opcua',
  'hill-works': 'modbus-tcp',
  'hill-tower': 'iec104',
  'metro-booster-01': 's7',
} as const;

describe('the gateway of a reference plant', { timeout: 120_000 }, () => {
  let sim: Simulator;
  const opts = { uplinkUrl: 'mqtt://127.0.0.1:1883', intervalMs: 1000 };

  beforeAll(async () => {
    // The reference scenario cut down to the four stations and one small concentrator: the
    // stations' tag tables and protocols are the reference ones, the run stays short.
    const ref = loadScenario('reference', {});
    const stations = ref.stations.filter((s) => s.id in STATIONS);
    const districts = new Set(stations.map((s) => s.district));
    sim = await startSimulator({
      clock: new FakeClock(),
      host: '127.0.0.1',
      seed: 1,
      warmupHours: 0,
      modbusPort: 0,
      opcuaPort: 0,
      iec104Port: 0,
      s7Port: 0,
      concentratorPort: 0,
      plants: [],
      districts: ref.districts.filter((d) => districts.has(d.id)),
      stations,
      concentrators: [{ district: 'centre', count: 20 }],
    });
  });
  afterAll(async () => {
    await sim?.close();
  });

  /** The config as the gateway itself loads and checks it. */
  const accepted = async (config: unknown): Promise<void> => {
    const parsed = loadConfig({ schema: EdgeConfig, value: config, env: {} });
    await expect(checkGatewayConfig(parsed)).resolves.toBeUndefined();
  };

  it.each(Object.entries(STATIONS))('%s over %s passes the edge config check', async (id, protocol) => {
    const plant = sim.plants.find((p) => p.id === id)!;
    expect(plant.protocol).toBe(protocol);
    const config = await edgeConfigForPlant(plant, opts);
    await accepted(config);
    const device = config.devices[0]!;
    expect(device.driver).toBe(protocol);
    expect(device.config).toMatchObject(
      protocol === 'opcua' ? { endpointUrl: plant.endpointUrl } : { host: plant.host, port: plant.port },
    );
    expect(device.groups[0]!.tags.map((t) => t.address)).toEqual(plant.tags.map((t) => t.address));
  });

  it('an IEC 104 gateway addresses the station by its common address', async () => {
    const plant = sim.plants.find((p) => p.id === 'hill-tower')!;
    expect((await edgeConfigForPlant(plant, opts)).devices[0]!.config).toMatchObject({
      commonAddress: plant.commonAddress,
    });
  });

  it("a concentrator's gateway reads every meter's cumulative flow", async () => {
    const c = sim.concentrators[0]!;
    const config = await edgeConfigForConcentrator(c, opts);
    await accepted(config);
    expect(config).toMatchObject({ site: 'centre', node: 'centre-concentrator' });
    const device = config.devices[0]!;
    expect(device).toMatchObject({ driver: 'cjt188', config: { host: c.host, port: c.port } });
    expect(device.groups[0]!.tags.map((t) => t.address)).toEqual(c.addresses.map((a) => `${a}:total`));
  });

  it('a plant whose tag address its driver refuses fails, naming the plant', async () => {
    const plant = sim.plants.find((p) => p.id === 'hill-tower')!;
    const broken = { ...plant, tags: [{ ...plant.tags[0]!, address: 'not-an-ioa' }] };
    await expect(edgeConfigForPlant(broken, opts)).rejects.toThrow(/hill-tower/);
  });
});
