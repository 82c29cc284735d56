import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { createBroker, type Broker } from '@watershed/mqtt-broker';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceConfig, EdgeConfig } from '../config.js';
import { startEdgeRuntime, type EdgeRuntime } from '../runtime.js';
import { MGMT_DEFAULTS, TestConsole, memoryModule, type MemoryBank } from '../test-support.js';
import type { EdgeRuleConfig } from './rule-config.js';

// Our broker in-process; the device is the in-memory PLC of test-support (writes land in its bank,
// reads come from it, so a read-back shows what the device holds).
let broker: Broker;
let url: string;
const dirs: string[] = [];
beforeAll(async () => {
  broker = createBroker({ sysIntervalMs: 0 });
  url = `mqtt://127.0.0.1:${(await broker.listenTcp({ host: '127.0.0.1', port: 0 })).port}`;
});
afterAll(async () => {
  await broker?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tank: DeviceConfig = {
  name: 'plc',
  driver: 'memory',
  config: { bank: 'tank' },
  groups: [
    {
      name: 'tank',
      intervalMs: 40,
      tags: [
        { name: 'level', address: 'r1', dataType: 'float' },
        // Setpoint register in 0.1 % steps, writable within [0, 50] %.
        { name: 'pump_sp', address: 'r2', dataType: 'uint16', scale: 0.1, writable: true, min: 0, max: 50 },
      ],
    },
  ],
};

const highLevel: EdgeRuleConfig = {
  id: 'high_level',
  sql: 'SELECT payload.level AS level, 20 AS sp FROM "samples/tank" WHERE payload.level > 4.5 AND payload.pump_sp <> 20',
  actions: [
    { type: 'write', group: 'tank', tag: 'pump_sp', field: 'sp' },
    { type: 'upstream', topic: 'alerts/high_level' },
  ],
};
// Past the tag's write limits: refused by the same checks as a console write, nothing written.
const tooHigh: EdgeRuleConfig = {
  id: 'too_high',
  sql: 'SELECT 99 AS value FROM "samples/tank" WHERE payload.level > 4.5',
  actions: [{ type: 'write', group: 'tank', tag: 'pump_sp' }],
};

describe('edge rules in the running gateway', () => {
  const banks = new Map<string, MemoryBank>();
  let edge: EdgeRuntime;
  let cons: TestConsole;
  let cloud: MqttClient;
  const alerts: { topic: string; body: { seq: number; rule: string; row: Record<string, unknown> } }[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-rules-'));
    dirs.push(dir);
    const config: EdgeConfig = {
      site: 'plant',
      node: 'gw',
      uplink: { url, keepaliveS: 30, reconnectMs: 200, qos: 1 },
      buffer: { file: join(dir, 'outbox.sqlite'), maxMessages: 100_000, replayRatePerS: 5000, window: 32 },
      mgmt: MGMT_DEFAULTS,
      devices: [tank],
    };
    cloud = await connectAsync(url, { reconnectPeriod: 0 });
    cloud.on('message', (topic, payload) =>
      alerts.push({ topic, body: JSON.parse(payload.toString()) as never }),
    );
    await cloud.subscribeAsync('ws/v1/plant/gw/alerts/#', { qos: 1 });
    cons = await TestConsole.open(url, 'plant', 'gw');
    edge = await startEdgeRuntime({ config, drivers: [memoryModule(banks)], logger: silentLogger() });
    // Data flowing means the gateway is connected and listening on mgmt/config.
    await waitFor(() => cons.valuesOf('tank', 'level').length >= 2, { message: 'data of the local config' });
  });
  afterAll(async () => {
    await edge?.close();
    await cons?.close();
    await cloud?.endAsync();
  });

  it('applies rules pushed with the plant, writes a setpoint back when the level is high, and reads it back', async () => {
    await cons.push(1, { devices: [tank], rules: [highLevel, tooHigh] });
    expect(await cons.ack(1)).toMatchObject({ result: 'applied', running: 1 });
    const bank = banks.get('tank')!;
    expect(bank.values.get('r2') ?? 0).toBe(0);

    bank.values.set('r1', 4.8);
    await waitFor(() => bank.values.get('r2') === 200, { message: 'the rule did not write the setpoint' });
    // 200 raw × 0.1 = 20 %, confirmed by the write's read-back.
    await waitFor(() => edge.health().writes.ok >= 1, { message: 'write not confirmed' });
    await waitFor(() => alerts.length >= 1, { message: 'the alert did not reach the cloud' });
    expect(alerts[0]).toMatchObject({
      topic: 'ws/v1/plant/gw/alerts/high_level',
      body: { v: 1, node: 'gw', rule: 'high_level', seq: 0, row: { level: 4.8, sp: 20 } },
    });
    // The out-of-limit rule was refused every time; nothing but 200 ever reached the register.
    await waitFor(() => edge.health().writes.refused >= 1, { message: 'limit refusal' });
    expect(bank.values.get('r2')).toBe(200);
    // Once the setpoint reads 20 the threshold rule stops firing.
    const settled = alerts.length;
    await waitFor(() => cons.valuesOf('tank', 'pump_sp').some((m) => m.values['pump_sp'] === 20), {
      message: 'setpoint 20 in the data',
    });
    await waitFor(() => cons.valuesOf('tank', 'level').length >= settled + 5, { message: 'more polls' });
    expect(alerts.length).toBeLessThanOrEqual(settled + 1);
  });

  it('refuses a push with a broken rule by path and keeps the running version and its rules', async () => {
    const bad: EdgeRuleConfig = { ...highLevel, sql: 'SELECT payload.level FROM "samples/tank" WHER 1' };
    await cons.push(2, { devices: [tank], rules: [bad] });
    const ack = await cons.ack(2);
    expect(ack).toMatchObject({ result: 'rejected', running: 1 });
    expect(ack.errors?.map((e) => e.path)).toEqual(['rules.0.sql']);
    expect(edge.health().configVersion).toBe(1);

    // Rules go away with the version that brought them: v3 has none, so no more writes.
    await cons.push(3, { devices: [tank] });
    expect(await cons.ack(3)).toMatchObject({ result: 'applied', running: 3 });
    const writes = banks.get('tank')!.writes;
    banks.get('tank')!.values.set('r2', 0);
    await waitFor(() => cons.valuesOf('tank', 'pump_sp').some((m) => m.values['pump_sp'] === 0), {
      message: 'setpoint 0 in the data',
    });
    expect(banks.get('tank')!.writes).toBe(writes);
  });
});
