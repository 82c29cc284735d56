import { Errors, loadConfig } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { DRIVERS, driverCatalog, loadAllDrivers } from './drivers.js';
import { checkGatewayConfig } from './edge.js';
import { EdgeConfig } from './index.js';

const gateway = (driver: string, config: Record<string, unknown>, address: string) =>
  loadConfig({
    schema: EdgeConfig,
    value: {
      site: 's',
      node: 'n',
      uplink: { url: 'mqtt://127.0.0.1:1883' },
      devices: [
        {
          name: 'plc',
          driver,
          config,
          groups: [{ name: 'g', intervalMs: 1000, tags: [{ name: 't', address, dataType: 'uint16' }] }],
        },
      ],
    },
    env: {},
  });

describe('the driver list', () => {
  // Imports node-opcua and every other stack: slow on a loaded machine.
  it('names each driver once, and each loader gives the module of its id', { timeout: 120_000 }, async () => {
    const ids = DRIVERS.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const catalog = await loadAllDrivers();
    expect([...catalog.loaded.keys()].sort()).toEqual([...ids].sort());
  });

  it('checks a Modbus-only gateway with only the Modbus TCP driver loaded', async () => {
    const catalog = driverCatalog();
    await checkGatewayConfig(
      gateway('modbus-tcp', { host: '127.0.0.1', port: 502 }, '1!400001'),
      'gw',
      catalog,
    );
    expect([...catalog.loaded.keys()]).toEqual(['modbus-tcp']);
  });

  it('refuses an unknown driver naming every registered one, loaded or not', async () => {
    const catalog = driverCatalog();
    const err: unknown = await checkGatewayConfig(gateway('profibus', {}, '1'), 'gw', catalog).catch(
      (e: unknown) => e,
    );
    expect(Errors.CONFIG_INVALID.is(err)).toBe(true);
    expect((err as Error).message).toContain(DRIVERS.map((d) => d.id).join(', '));
    expect(catalog.loaded.size).toBe(0);
  });
});
