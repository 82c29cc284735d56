import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry, silentLogger, systemClock, type Registry } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { dataTopic, encodeUplink } from '@watershed/model';
import { loadBrokerConfig, startBroker, type RunningBroker } from '@watershed/mqtt-broker';
import { brokerMessageSource } from '@watershed/rule-engine';
import { openEmbeddedStore, type Store } from '@watershed/store';
import type { FastifyInstance } from 'fastify';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearerFor, buildTestApi } from '@watershed/console-api/testing';
import { rulesRoutes } from '@watershed/console-api';
import { storeSink } from '../store-sink.js';
import { startServerRules, type ServerRules } from './server-rules.js';

const DATA = 'ws/v1/+/+/+/data';

/**
 * The rules API over the server's real composition: an embedded store, the broker on a loopback
 * port, the rule engine fed by it, and mqtt.js devices. Every change goes through HTTP.
 */
describe('rules API on the running engine', () => {
  let dir: string;
  let store: Store;
  let mqtt: RunningBroker;
  let rules: ServerRules;
  let api: FastifyInstance;
  let metrics: Registry;
  let auth: string;
  let device: MqttClient;
  let watcher: MqttClient;
  const seen: { topic: string; body: unknown }[] = [];
  let seq = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-rules-e2e-'));
    store = await openEmbeddedStore({ dir });
    mqtt = await startBroker(
      loadBrokerConfig({
        value: {
          sysIntervalMs: 0,
          listeners: [{ name: 't', type: 'tcp', host: '127.0.0.1', port: 0, auth: { allowAnonymous: true } }],
        },
        label: 'test',
      }),
    );
    metrics = createMetricsRegistry();
    const sinks = new Map([['store', storeSink(store, () => Date.now())]]);
    rules = await startServerRules({
      source: brokerMessageSource(mqtt.broker, () => Date.now()),
      store,
      sinks: { get: (id) => sinks.get(id) },
      clock: systemClock,
      logger: silentLogger(),
      metrics,
      dataDir: dir,
    });
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(rulesRoutes, { access, auditor, store, runtime: rules.runtime });
    });
    auth = await bearerFor(store, 'engineer', 'acme/north');
    const url = `mqtt://127.0.0.1:${mqtt.listeners[0]!.port}`;
    device = await connectAsync(url, { clientId: 'gw' });
    watcher = await connectAsync(url, { clientId: 'watcher' });
    watcher.on('message', (topic, payload) =>
      seen.push({ topic, body: JSON.parse(payload.toString()) as unknown }),
    );
    await watcher.subscribeAsync(['alerts/#', 'probe/#', 'events/#'], { qos: 1 });
    // Every data message is echoed to probe/<seq>: once the probe has it, every rule has seen it.
    await call('POST', '/rules', {
      id: 'probe',
      name: 'probe',
      sql: `SELECT payload.seq AS seq FROM "${DATA}"`,
      actions: [{ type: 'republish', topic: 'probe/${seq}', qos: 1 }],
    });
  });

  afterAll(async () => {
    await device?.endAsync();
    await watcher?.endAsync();
    await api?.close();
    await rules?.close();
    await mqtt?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    seen.length = 0;
  });

  async function call(method: 'POST' | 'PUT' | 'GET', url: string, payload?: object, headers = {}) {
    const res = await api.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: auth, ...headers },
      ...(payload && { payload }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json<Record<string, unknown>>();
  }

  /** Publishes one uplink and waits until the rules have handled it (the probe echoed it). */
  async function publish(flow: number): Promise<void> {
    const n = ++seq;
    await device.publishAsync(
      dataTopic('works', 'gw', 'g'),
      encodeUplink({ v: 1, node: 'gw', group: 'g', ts: 1_000 + n, seq: n, values: { flow } }),
      { qos: 1 },
    );
    await waitFor(() => seen.some((m) => m.topic === `probe/${n}`), { message: `probe ${n} not echoed` });
  }

  const alerts = () => seen.filter((m) => m.topic.startsWith('alerts/'));

  it('a rule created through the API filters and republishes at once; disabled it is silent; replaced it has the new shape', async () => {
    const created = await call('POST', '/rules', {
      id: 'high-flow',
      name: 'High flow',
      sql: `SELECT payload.node AS node, payload.values.flow AS flow FROM "${DATA}" WHERE payload.values.flow > 100`,
      actions: [{ type: 'republish', topic: 'alerts/${node}/high-flow', qos: 1 }],
    });
    expect(created).toMatchObject({ state: 'running', revision: 1 });

    await publish(36);
    await publish(360);
    await waitFor(() => alerts().length === 1, { message: 'alert not republished' });
    expect(alerts()).toEqual([{ topic: 'alerts/gw/high-flow', body: { node: 'gw', flow: 360 } }]);

    expect(await call('POST', '/rules/high-flow/disable')).toMatchObject({ state: 'stopped', revision: 2 });
    seen.length = 0;
    await publish(500);
    expect(alerts()).toEqual([]);

    const replaced = await call(
      'PUT',
      '/rules/high-flow',
      {
        name: 'High flow',
        enabled: true,
        sql: `SELECT payload.node AS node, payload.values.flow * 2 AS double FROM "${DATA}" WHERE payload.values.flow > 100`,
        actions: [{ type: 'republish', topic: 'alerts/${node}/doubled', qos: 1 }],
      },
      { 'if-match': '"2"' },
    );
    expect(replaced).toMatchObject({ state: 'running', revision: 3 });
    await publish(200);
    await waitFor(() => alerts().length === 1, { message: 'replaced rule did not republish' });
    expect(alerts()).toEqual([{ topic: 'alerts/gw/doubled', body: { node: 'gw', double: 400 } }]);

    // Counters survive disable and replace: 4 messages reached the rule while it ran, 2 passed.
    const m = await call('GET', '/rules/high-flow/metrics');
    expect(m).toMatchObject({
      matched: 3,
      passed: 2,
      noResult: 1,
      failed: 0,
      actions: [{ type: 'republish' }],
    });
    expect((m['latencyMs'] as { count: number }).count).toBeGreaterThanOrEqual(1);
    const text = await metrics.metrics();
    expect(text).toMatch(/watershed_rule_messages_total\{rule="high-flow",outcome="passed"\} 2/);
    expect(text).toMatch(/watershed_rule_latency_ms\{rule="high-flow",quantile="0.99"\} \d/);
  });

  it('a rule writing to the store: the store holds exactly its rows', async () => {
    await call('POST', '/rules', {
      id: 'flow-lps',
      name: 'Flow in l/s',
      sql: `SELECT 'works.gw.derived.flow_lps' AS point, payload.values.flow / 3.6 AS value, payload.ts AS ts FROM "${DATA}" WHERE payload.values.flow >= 36`,
      actions: [{ type: 'sink', sink: 'store' }],
    });
    await publish(36);
    await publish(1);
    await publish(72);
    const stored = await waitFor(async () => {
      const s = await store.series('works.gw.derived.flow_lps', { from: 0, to: 1e12 });
      return s.length === 2 ? s : undefined;
    });
    expect(stored.map((s) => s.value)).toEqual([10, 20]);
    const res = await api.inject({
      method: 'POST',
      url: '/api/v1/rules',
      headers: { authorization: auth },
      payload: {
        name: 'nowhere',
        sql: `SELECT 1 AS x FROM "${DATA}"`,
        actions: [{ type: 'sink', sink: 'nope' }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ problems: [{ code: 'WS_ERR_RULE_SINK_UNKNOWN', path: 'actions.0' }] });
  });

  it('a $events/client_connected rule fires when a client connects', async () => {
    await call('POST', '/rules', {
      id: 'connects',
      name: 'Connects',
      sql: 'SELECT clientid, event FROM "$events/client_connected"',
      actions: [{ type: 'republish', topic: 'events/connected/${clientid}', qos: 1 }],
    });
    const late = await connectAsync(`mqtt://127.0.0.1:${mqtt.listeners[0]!.port}`, { clientId: 'meter-42' });
    try {
      const event = await waitFor(() => seen.find((m) => m.topic === 'events/connected/meter-42'));
      expect(event.body).toEqual({ clientid: 'meter-42', event: 'client.connected' });
    } finally {
      await late.endAsync();
    }
  });

  it('refuses invalid SQL with its position from the real parser; nothing is stored', async () => {
    const res = await api.inject({
      method: 'POST',
      url: '/api/v1/rules',
      headers: { authorization: auth },
      payload: { id: 'broken', name: 'Broken', sql: 'SELECT flow\nFROM WHERE' },
    });
    expect(res.statusCode).toBe(400);
    const [problem] = res.json<{ problems: Record<string, unknown>[] }>().problems;
    expect(problem).toMatchObject({ path: 'sql', line: 2, column: 6 });
    expect(problem?.['code']).toMatch(/^WS_ERR_RULE_SQL/);
    expect(await store.metadata.rules.get('broken')).toBeUndefined();
    expect(rules.engine.getRule('broken')).toBeUndefined();
  });

  it('a test run returns rows and what each action would do, and publishes nothing', async () => {
    const body = await call('POST', '/rules/test', {
      sql: `SELECT payload.node AS node, payload.values.flow AS flow FROM "${DATA}" WHERE payload.values.flow > 100`,
      actions: [
        { type: 'republish', topic: 'alerts/${node}/high-flow', qos: 1 },
        { type: 'sink', sink: 'store' },
        { type: 'console' },
      ],
      context: [
        { topic: 'ws/v1/works/gw/g/data', payload: { node: 'gw', values: { flow: 360 } } },
        { topic: 'ws/v1/works/gw/g/data', payload: { node: 'gw', values: { flow: 3 } } },
      ],
    });
    expect(body).toEqual({
      ok: true,
      matched: true,
      rows: [{ node: 'gw', flow: 360 }],
      errors: [],
      actions: [
        {
          index: 0,
          type: 'republish',
          effects: [
            {
              publish: {
                topic: 'alerts/gw/high-flow',
                payload: '{"node":"gw","flow":360}',
                qos: 1,
                retain: false,
              },
            },
          ],
        },
        {
          index: 1,
          type: 'sink',
          effects: [{ sink: 'store', row: { node: 'gw', flow: 360 }, sinkExists: true }],
        },
        { index: 2, type: 'console', effects: [{ log: { node: 'gw', flow: 360 } }] },
      ],
    });
    const bad = await call('POST', '/rules/test', { sql: 'SELECT FROM "t"', context: {} });
    expect(bad).toMatchObject({ ok: false, errors: [{ path: 'sql', line: 1 }] });
    await publish(1);
    expect(alerts()).toEqual([]);
  });
});
