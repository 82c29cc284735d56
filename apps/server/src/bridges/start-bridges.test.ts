import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry, silentLogger, systemClock, type Registry } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { dataTopic, mgmtTopic, type EdgeStatus, type UplinkMessage } from '@watershed/model';
import {
  BrokerErrors,
  loadBrokerConfig,
  startBroker,
  type PublishInput,
  type RunningBroker,
} from '@watershed/mqtt-broker';
import { startMosquitto, type Mosquitto } from '@watershed/sink-mqtt-bridge/testing';
import { openEmbeddedStore, type Store } from '@watershed/store';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { Value } from 'typebox/value';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ingest } from '../ingest.js';
import { BridgesConfig, type IngressBridgeConfig } from './config.js';
import { startBridges, type BridgeBroker, type RunningBridges } from './start-bridges.js';

// The plant network: Debian's Mosquitto (fails naming the package when missing). The office
// network: the platform broker, reached by the bridge through its in-process publish.
let plant: Mosquitto;
let platform: RunningBroker;
let plantGateway: MqttClient;
const owned: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  plant = await startMosquitto();
  platform = await startBroker(
    loadBrokerConfig({
      value: {
        sysIntervalMs: 0,
        // Few levels, so a test can map a remote topic onto a name invalid here.
        limits: { maxTopicLevels: 8 },
        listeners: [{ name: 't', type: 'tcp', host: '127.0.0.1', port: 0, auth: { allowAnonymous: true } }],
      },
      label: 'test',
    }),
  );
  plantGateway = await mqtt.connectAsync(plant.url, { reconnectPeriod: 100, clientId: 'plant-gw' });
}, 30_000);

afterAll(async () => {
  await plantGateway?.endAsync(true);
  await platform?.close();
  await plant?.close();
});

afterEach(async () => {
  for (const o of owned.splice(0).reverse()) await o.close();
});

function bridges(
  ingress: Partial<IngressBridgeConfig>[],
  opts: { metrics?: Registry; broker?: BridgeBroker } = {},
): RunningBridges {
  const config = Value.Default(BridgesConfig, {
    ingress: ingress.map((b, i) => ({
      id: `plant${i}`,
      url: plant.url,
      clientId: `office-bridge-${i}-${Date.now()}`,
      subscriptions: [{ filter: 'plant/#', qos: 1 }],
      mappings: [{ from: 'plant/#', to: 'ws/v1/#' }],
      reconnect: { initialMs: 20, maxMs: 200 },
      ...b,
    })),
  }) as BridgesConfig;
  const running = startBridges({
    config,
    broker: opts.broker ?? platform.broker,
    clock: systemClock,
    logger: silentLogger(),
    ...(opts.metrics && { metrics: opts.metrics }),
  });
  owned.push(running);
  return running;
}

/** A subscriber of the platform broker over TCP, as an office client would be. */
async function officeSubscriber(filter: string): Promise<IPublishPacket[]> {
  const got: IPublishPacket[] = [];
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${platform.listeners[0]!.port}`, {
    reconnectPeriod: 0,
  });
  owned.push({ close: () => client.endAsync(true) });
  client.on('message', (_t, _p, packet) => got.push(packet));
  await client.subscribeAsync(filter, { qos: 1 });
  return got;
}

describe('ingress bridges: Mosquitto (plant) → platform broker (office)', () => {
  it('republishes a remote message under the mapped topic at QoS 1, and counts it', async () => {
    const metrics = createMetricsRegistry();
    const running = bridges([{}], { metrics });
    await running.ready();
    const got = await officeSubscriber('ws/v1/#');

    await plantGateway.publishAsync('plant/p7/gw1/pumps/data', 'hello office', { qos: 1 });

    const [packet] = await waitFor(() => got.length > 0 && got, { message: 'bridged message' });
    expect(packet).toMatchObject({ topic: 'ws/v1/p7/gw1/pumps/data', qos: 1 });
    expect(packet!.payload.toString()).toBe('hello office');
    expect(running.health()).toEqual([
      expect.objectContaining({
        id: 'plant0',
        direction: 'ingress',
        connected: true,
        messagesIn: 1,
        dropped: 0,
      }),
    ]);
    expect(running.healthChecks()).toEqual({ 'bridge:plant0': { ok: true, detail: expect.any(String) } });
    const text = await metrics.metrics();
    expect(text).toContain('watershed_bridge_messages_total{bridge="plant0",direction="ingress"} 1');
    expect(text).toContain('watershed_bridge_up{bridge="plant0",direction="ingress"} 1');
  });

  it('reconnects after the remote broker is killed and restarted, and messages flow again', async () => {
    const metrics = createMetricsRegistry();
    const running = bridges([{}], { metrics });
    await running.ready();
    const got = await officeSubscriber('ws/v1/#');
    await plantGateway.publishAsync('plant/before', 'one', { qos: 1 });
    await waitFor(() => got.length === 1, { message: 'message before the outage' });

    await plant.kill();
    await waitFor(() => running.health()[0]!.connected === false, { message: 'bridge sees the link down' });
    expect(running.healthChecks()['bridge:plant0']!.ok).toBe(false);
    expect(await metrics.metrics()).toContain('watershed_bridge_up{bridge="plant0",direction="ingress"} 0');
    await plant.restart();
    await running.ready(15_000);
    // The gateway reconnects on its own (reconnectPeriod); wait until it can publish again.
    await waitFor(() => plantGateway.connected, { timeoutMs: 15_000, message: 'plant gateway back' });

    await plantGateway.publishAsync('plant/after', 'two', { qos: 1 });
    await waitFor(() => got.some((p) => p.topic === 'ws/v1/after'), {
      timeoutMs: 15_000,
      message: 'message after the restart',
    });
    expect(got.map((p) => [p.topic, p.payload.toString(), p.qos])).toEqual([
      ['ws/v1/before', 'one', 1],
      ['ws/v1/after', 'two', 1],
    ]);
  }, 60_000);

  it('acknowledges and counts as dropped a message whose mapped topic is invalid here', async () => {
    const running = bridges([{}]);
    await running.ready();
    const got = await officeSubscriber('ws/v1/#');
    // Nine levels once mapped: over the platform's limit, on every redelivery too.
    await plantGateway.publishAsync('plant/a/b/c/d/e/f/g', 'dropped', { qos: 1 });
    await plantGateway.publishAsync('plant/ok/x', 'kept', { qos: 1 });
    await waitFor(() => got.length === 1, { message: 'the valid message behind the dropped one' });
    expect(got[0]!.topic).toBe('ws/v1/ok/x');
    expect(running.health()[0]).toMatchObject({ messagesIn: 1, dropped: 1, connected: true });
  });

  it('leaves a message the platform could not take unacknowledged, so the remote redelivers it', async () => {
    // The platform broker refuses the first attempt as if it were closing (a restart of the
    // server): the remote must hand the same message over again on the next connection.
    const taken: PublishInput[] = [];
    let refusals = 1;
    const flaky: BridgeBroker = {
      publish(m) {
        if (refusals-- > 0) throw BrokerErrors.BROKER_CLOSED.create();
        taken.push(m);
      },
    };
    const running = bridges([{}], { broker: flaky });
    await running.ready();
    await plantGateway.publishAsync('plant/once', 'not lost', { qos: 1 });
    await waitFor(() => taken.length > 0, { message: 'redelivered message' });
    expect(taken.map((m) => [m.topic, m.payload.toString(), m.qos])).toEqual([['ws/v1/once', 'not lost', 1]]);
    expect(running.health()[0]).toMatchObject({ messagesIn: 1, dropped: 0 });
    expect(running.health()[0]!.lastError).toMatch(/closed/);
  });

  it("lands a plant gateway's uplink in the store through the server's ingest", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-bridge-ingest-'));
    const store: Store = await openEmbeddedStore({ dir, flushIntervalMs: 5 });
    owned.push({
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
    const ingest = new Ingest({
      source: platform.broker,
      store,
      logger: silentLogger(),
      emit: () => undefined,
    });
    owned.push(ingest);
    const running = bridges([
      {
        mappings: [{ from: 'plant7/ws/v1/#', to: 'ws/v1/#' }],
        subscriptions: [{ filter: 'plant7/ws/v1/#', qos: 1 }],
      },
    ]);
    await running.ready();

    const status: EdgeStatus = {
      v: 1,
      node: 'gw1',
      online: true,
      ts: 1,
      groups: [
        {
          name: 'pumps',
          device: 'plc',
          intervalMs: 1000,
          tags: [{ name: 'flow', dataType: 'float', unit: 'm3/h' }],
        },
      ],
    };
    const uplink: UplinkMessage = {
      v: 1,
      node: 'gw1',
      group: 'pumps',
      ts: 5000,
      seq: 0,
      values: { flow: 12.5 },
    };
    await plantGateway.publishAsync(`plant7/${mgmtTopic('p7', 'gw1', 'status')}`, JSON.stringify(status), {
      qos: 1,
    });
    await plantGateway.publishAsync(`plant7/${dataTopic('p7', 'gw1', 'pumps')}`, JSON.stringify(uplink), {
      qos: 1,
    });

    const series = await waitFor(
      async () => {
        const s = await store.series('p7.gw1.pumps.flow', { from: 0, to: 10_000 });
        return s.length > 0 && s;
      },
      { message: 'sample stored' },
    );
    expect(series).toEqual([{ point: 'p7.gw1.pumps.flow', ts: 5000, value: 12.5, quality: 'good' }]);
    expect(await store.getPoint('p7.gw1.pumps.flow')).toMatchObject({ unit: 'm3/h', node: 'gw1' });
  });

  it('starts nothing without bridges and closes idempotently', async () => {
    const running = startBridges({
      config: undefined,
      broker: platform.broker,
      clock: systemClock,
      logger: silentLogger(),
    });
    expect(running.health()).toEqual([]);
    await running.ready();
    await running.close();
    await running.close();
  });
});
