import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { EdgeConfig, LogTail, startEdgeRuntime, type EdgeRuntime } from '@watershed/edge-runtime';
import { decodeUplink, type UplinkMessage } from '@watershed/model';
import { loadBrokerConfig, startBroker, type RunningBroker } from '@watershed/mqtt-broker';
import { openEmbeddedStore, type Gateway, type Json, type Store } from '@watershed/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetErrors } from './errors.js';
import { FleetService, configChecksum } from './fleet-service.js';
import { GatewayAuthSource, withGatewayAuth } from './gateway-auth.js';
import { Registers, simModule } from './test-device.js';

const level = { name: 'level', address: 'r1', dataType: 'float' };
const setpoint = {
  name: 'setpoint',
  address: 'r2',
  dataType: 'uint16',
  scale: 0.1,
  writable: true,
  min: 0,
  max: 50,
};
const flow = { name: 'flow', address: 'r3', dataType: 'float' };
const plant = (...tags: Json[]) => ({
  devices: [{ name: 'plc', driver: 'sim', config: {}, groups: [{ name: 'g', intervalMs: 50, tags }] }],
});

let dir: string;
let store: Store;
let mqtt: RunningBroker;
let fleet: FleetService;
let edge: EdgeRuntime | undefined;
let gateway: Gateway;
const regs = new Registers();
const data: UplinkMessage[] = [];
const tail = new LogTail({ size: 50 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-fleet-'));
  store = await openEmbeddedStore({ dir: join(dir, 'store'), logger: silentLogger() });
  const brokerConfig = loadBrokerConfig({
    value: {
      sysIntervalMs: 0,
      listeners: [{ name: 'plants', type: 'tcp', host: '127.0.0.1', port: 0, acl: { default: 'deny' } }],
    },
    label: 'test',
  });
  mqtt = await startBroker(withGatewayAuth(brokerConfig, new GatewayAuthSource(store.metadata.gateways)));
  fleet = new FleetService({
    broker: mqtt.broker,
    metadata: store.metadata,
    clock: systemClock,
    logger: silentLogger(),
    ackTimeoutMs: 10_000,
    writeTimeoutMs: 5_000,
  });
  fleet.start();
  mqtt.broker.subscribe('ws/v1/plant/gw1/+/data', (m) => {
    const d = decodeUplink(m.payload);
    if (d.ok) data.push(d.message);
  });

  // Registration: the secret is all the gateway needs to log in.
  const issued = await store.metadata.gateways.create({
    project: 'city/north',
    site: 'plant',
    node: 'gw1',
    name: 'Plant gateway',
  });
  gateway = issued.gateway;
  edge = await startEdge('gw1', issued.secret, tail);
});

afterAll(async () => {
  await edge?.close();
  await fleet?.close();
  await mqtt?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startEdge(node: string, secret: string, logTail?: LogTail): Promise<EdgeRuntime> {
  const config = loadConfig({
    schema: EdgeConfig,
    value: {
      site: 'plant',
      node,
      uplink: {
        url: `mqtt://127.0.0.1:${mqtt.listeners[0]!.port}`,
        username: node,
        password: secret,
        reconnectMs: 200,
      },
      buffer: { file: join(dir, `${node}.outbox.sqlite`) },
      mgmt: { reportIntervalS: 0.2 },
      devices: plant(level).devices,
    },
    label: 'edge test config',
  });
  return startEdgeRuntime({
    config,
    drivers: [simModule(regs)],
    ...(logTail
      ? {
          logger: createLogger({ level: 'info', destination: logTail as unknown as NodeJS.WritableStream }),
          logTail,
        }
      : { logger: silentLogger() }),
  });
}

const valuesOf = (tag: string) => data.flatMap((m) => (tag in m.values ? [m.values[tag]] : []));

describe('FleetService with a real edge gateway', () => {
  it('sees the gateway come online with link state, poll statistics and backlog', async () => {
    const status = await waitFor(
      () => {
        const s = fleet.status(gateway);
        return s.online && (s.report?.groups['g']?.polls ?? 0) >= 2 && s;
      },
      { message: 'a live report' },
    );
    expect(status).toMatchObject({
      stale: false,
      configVersion: 0,
      report: { devices: { plc: { driver: 'sim', state: 'connected' } }, groups: { g: { device: 'plc' } } },
      catalog: [{ name: 'g', tags: [{ name: 'level' }] }],
    });
    expect(status.report?.buffer.rows).toBeGreaterThanOrEqual(0);
    expect(status.lastSeen).toBeGreaterThan(0);
  });

  it('pushes a version, records the ack, and data for the new tag arrives', async () => {
    const v1 = plant(level, setpoint);
    const [result] = await fleet.push([gateway], v1, 'alice');
    expect(result).toMatchObject({
      node: 'gw1',
      version: 1,
      outcome: 'applied',
      checksum: configChecksum(v1),
    });
    expect(result?.ack).toMatchObject({ result: 'applied', running: 1 });
    const stored = await waitFor(async () => {
      const v = await store.metadata.edgeConfigs.get('gw1', 1);
      return v?.ack && v;
    });
    expect(stored).toMatchObject({ author: 'alice', config: v1, ack: { ok: true, detail: 'applied' } });
    regs.values.set('r2', 77);
    await waitFor(() => valuesOf('setpoint').includes(7.7), { message: 'data for the new tag' });
    await waitFor(() => fleet.status(gateway).configVersion === 1);
  });

  it('records a refusal with its reasons, and the gateway keeps running the last good version', async () => {
    const bad = { devices: [{ ...plant(level).devices[0]!, driver: 'nope' }] };
    const [result] = await fleet.push([gateway], bad, 'alice');
    expect(result).toMatchObject({ version: 2, outcome: 'rejected', ack: { running: 1 } });
    const stored = await waitFor(async () => (await store.metadata.edgeConfigs.get('gw1', 2))?.ack);
    expect(stored.ok).toBe(false);
    expect(stored.detail).toMatch(/^rejected WS_ERR_\w+: devices\.0\.driver/);
    // The refusal was logged on the gateway; its log tail comes to the console.
    const log = await waitFor(() => fleet.logs(gateway)?.lines.find((l) => /config rejected/.test(l.msg)));
    expect(log.level).toBe('warn');
  });

  it('rolls back to an earlier version by pushing its config as a new version', async () => {
    const [v3] = await fleet.push([gateway], plant(level, setpoint, flow), 'alice');
    expect(v3).toMatchObject({ version: 3, outcome: 'applied' });
    await waitFor(() => valuesOf('flow').length > 0, { message: 'data for flow' });
    const rolled = await fleet.rollback(gateway, 1, 'bob');
    expect(rolled).toMatchObject({
      version: 4,
      outcome: 'applied',
      checksum: configChecksum(plant(level, setpoint)),
    });
    expect((await store.metadata.edgeConfigs.get('gw1', 4))?.config).toEqual(plant(level, setpoint));
    const seen = data.length;
    await waitFor(() => data.length > seen + 2);
    expect(data.slice(seen + 1).every((m) => !('flow' in m.values))).toBe(true);
    await expect(fleet.rollback(gateway, 99, 'bob')).rejects.toMatchObject({
      code: FleetErrors.NO_VERSION.code,
    });
  });

  it('writes a tag through the gateway with read-back, and refuses out-of-limit and read-only writes itself', async () => {
    await waitFor(() => fleet.status(gateway).configVersion === 4);
    const result = await fleet.write(gateway, 'g.setpoint', 12.3);
    expect(result).toMatchObject({ ok: true, point: 'plant.gw1.g.setpoint', readBack: 12.3 });
    expect(regs.values.get('r2')).toBe(123);
    const writes = regs.writes;
    await expect(fleet.write(gateway, 'setpoint', 50.5)).rejects.toMatchObject({
      code: FleetErrors.WRITE_LIMIT.code,
    });
    await expect(fleet.write(gateway, 'level', 1)).rejects.toMatchObject({
      code: FleetErrors.READ_ONLY.code,
    });
    await expect(fleet.write(gateway, 'setpoint', 'high')).rejects.toMatchObject({
      code: FleetErrors.WRITE_VALUE.code,
    });
    await expect(fleet.write(gateway, 'nope', 1)).rejects.toMatchObject({
      code: FleetErrors.UNKNOWN_TAG.code,
    });
    expect(regs.writes).toBe(writes); // none of them reached the device
  });

  it('queues a push for a gateway that is offline; it applies it on connecting and the ack is recorded', async () => {
    const issued = await store.metadata.gateways.create({
      project: 'city/north',
      site: 'plant',
      node: 'gw2',
      name: 'Second gateway',
    });
    const [queued] = await fleet.push([issued.gateway], plant(level, setpoint), 'alice');
    expect(queued).toMatchObject({ node: 'gw2', version: 1, outcome: 'queued' });
    const late = await startEdge('gw2', issued.secret);
    try {
      const ack = await waitFor(async () => (await store.metadata.edgeConfigs.get('gw2', 1))?.ack, {
        message: 'the ack of the retained push',
      });
      expect(ack).toMatchObject({ ok: true, detail: 'applied' });
      await waitFor(() => fleet.status(issued.gateway).configVersion === 1);
    } finally {
      await late.close();
    }
  });

  it('sees the gateway go offline, and refuses writes to it', async () => {
    await edge?.close();
    edge = undefined;
    await waitFor(() => !fleet.status(gateway).online, { message: 'offline status' });
    await expect(fleet.write(gateway, 'setpoint', 1)).rejects.toMatchObject({
      code: FleetErrors.OFFLINE.code,
    });
  });
});
