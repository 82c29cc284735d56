import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, silentLogger } from '@watershed/common';
import { configChecksum, type EdgeConfigInput } from '@watershed/edge';
import { ServerConfig, startServer, type RunningServer } from '@watershed/server';
import { afterEach, describe, expect, it } from 'vitest';
import { enrolGateways, PLATFORM_PROJECT } from './fleet-enrolment.js';

const plant = (node: string, site = 'north'): EdgeConfigInput => ({
  site,
  node,
  uplink: { url: 'mqtt://127.0.0.1:1883' },
  devices: [
    {
      name: 'plc',
      driver: 'modbus-tcp',
      config: { host: '127.0.0.1', port: 502 },
      groups: [{ name: 'process', tags: [{ name: 'FLOW', address: '1!300001#LL', dataType: 'float' }] }],
    },
  ],
});

let server: RunningServer | undefined;
let dataDir: string | undefined;

async function start(): Promise<RunningServer> {
  dataDir ??= mkdtempSync(join(tmpdir(), 'ws-enrol-'));
  const config = loadConfig({
    schema: ServerConfig,
    value: { dataDir, mqtt: { host: '127.0.0.1', port: 0 }, api: { host: '127.0.0.1', port: 0 } },
    label: 'test server',
  });
  return (server = await startServer({ config, logger: silentLogger() }));
}

/** The retained config push on the gateway's mgmt/config topic, as the gateway would get it. */
function retainedPush(s: RunningServer, site: string, node: string): unknown {
  let seen: unknown;
  const stop = s.broker.subscribe(
    `ws/v1/${site}/${node}/mgmt/config`,
    (m) => {
      seen = JSON.parse(m.payload.toString('utf8')) as unknown;
    },
    { retained: true },
  );
  stop();
  return seen;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe('enrolGateways', { timeout: 60_000 }, () => {
  it('registers each gateway with credentials it logs in with, and pushes its plant as version 1', async () => {
    const s = await start();
    const [enrolled] = await enrolGateways(s, [{ config: plant('gw1'), name: 'North works' }], {
      logger: silentLogger(),
    });
    const { username, password } = enrolled!.uplink!;
    expect(username).toBe('gw1');
    const gateway = await s.store.metadata.gateways.verify('gw1', password!);
    expect(gateway).toMatchObject({
      project: PLATFORM_PROJECT,
      site: 'north',
      node: 'gw1',
      name: 'North works',
    });

    const v1 = await s.store.metadata.edgeConfigs.get('gw1', 1);
    // The plant section with the defaults the gateway fills in (the group's poll interval).
    expect(v1?.config).toEqual({
      devices: [
        {
          name: 'plc',
          driver: 'modbus-tcp',
          config: { host: '127.0.0.1', port: 502 },
          groups: [
            {
              name: 'process',
              intervalMs: 1000,
              tags: [{ name: 'FLOW', address: '1!300001#LL', dataType: 'float' }],
            },
          ],
        },
      ],
    });
    expect(v1).toMatchObject({
      project: PLATFORM_PROJECT,
      author: 'watershed up',
      checksum: configChecksum(v1!.config),
    });
    expect(retainedPush(s, 'north', 'gw1')).toEqual({
      v: 1,
      version: 1,
      checksum: v1!.checksum,
      config: v1!.config,
    });
  });

  it('on a restart issues a fresh secret, keeps the versions, and leaves revoked credentials revoked', async () => {
    let s = await start();
    const first = await enrolGateways(
      s,
      [
        { config: plant('gw1'), name: 'A' },
        { config: plant('gw2'), name: 'B' },
      ],
      { logger: silentLogger() },
    );
    const gw2 = (await s.store.metadata.gateways.byNode('gw2'))!;
    await s.store.metadata.gateways.revoke(gw2.id);
    await s.close();

    s = await start();
    const again = await enrolGateways(
      s,
      [
        { config: plant('gw1'), name: 'A' },
        { config: plant('gw2'), name: 'B' },
      ],
      { logger: silentLogger() },
    );
    const [old1, new1] = [first[0]!.uplink!.password!, again[0]!.uplink!.password!];
    expect(new1).not.toBe(old1);
    expect(await s.store.metadata.gateways.verify('gw1', old1)).toBeUndefined();
    expect(await s.store.metadata.gateways.verify('gw1', new1)).toBeDefined();
    // Revoked in the console: started without credentials, so its login is refused.
    expect(again[1]!.uplink?.password).toBeUndefined();
    expect((await s.store.metadata.gateways.byNode('gw2'))?.credentialsRevokedAt).toBeDefined();
    // Version 1 is not pushed twice.
    expect((await s.store.metadata.edgeConfigs.list('gw1')).map((v) => v.version)).toEqual([1]);
  });

  it('refuses a node the console registered for another site', async () => {
    const s = await start();
    await s.store.metadata.gateways.create({
      project: PLATFORM_PROJECT,
      site: 'south',
      node: 'gw1',
      name: 'x',
    });
    await expect(
      enrolGateways(s, [{ config: plant('gw1'), name: 'A' }], { logger: silentLogger() }),
    ).rejects.toMatchObject({ code: 'WS_ERR_PLATFORM_NODE_TAKEN' });
  });
});
