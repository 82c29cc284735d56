import { FakeClock } from '@watershed/common/testing';
import { createBroker, type Broker, type Listener } from '@watershed/mqtt-broker';
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { brokerMessageSource, createRuleEngine, type RuleEngine } from './index.js';

/** Against the real broker and real MQTT clients: uplinks in, republished rows out. */
describe('rule engine on the MQTT broker', () => {
  let broker: Broker;
  let listener: Listener;
  let engine: RuleEngine;
  const clients: MqttClient[] = [];

  beforeEach(async () => {
    broker = createBroker({ sysIntervalMs: 0 });
    listener = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync()));
    await engine.close();
    await broker.close();
  });

  async function connect(clientId: string): Promise<MqttClient> {
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${listener.port}`, {
      clientId,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    clients.push(c);
    return c;
  }

  function inbox(c: MqttClient): { topic: string; payload: string; props: unknown }[] {
    const got: { topic: string; payload: string; props: unknown }[] = [];
    c.on('message', (topic, payload, packet) =>
      got.push({ topic, payload: payload.toString(), props: packet.properties?.userProperties }),
    );
    return got;
  }

  async function until(probe: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('republishes rows computed from uplink messages to an MQTT subscriber', async () => {
    engine = createRuleEngine({ source: brokerMessageSource(broker) });
    engine.addRule({
      id: 'high-flow',
      sql: `SELECT payload.node AS node, payload.values.flow AS flow, clientid
            FROM "ws/v1/+/+/+/data" WHERE payload.values.flow > 100`,
      actions: [
        {
          type: 'republish',
          topic: 'ws/v1/alerts/${node}/flow',
          qos: 1,
          userProperties: { rule: 'high-flow' },
        },
      ],
    });
    const sub = await connect('console');
    const got = inbox(sub);
    await sub.subscribeAsync('ws/v1/alerts/#', { qos: 1 });
    const edge = await connect('edge-1');
    for (const [seq, flow] of [
      [1, 50],
      [2, 360],
    ] as const) {
      const uplink = { v: 1, node: 'n1', group: 'g1', ts: 1_700_000_000_000 + seq, seq, values: { flow } };
      await edge.publishAsync('ws/v1/s1/n1/g1/data', JSON.stringify(uplink), { qos: 1 });
    }
    await until(() => got.length === 1 && engine.metrics('high-flow').matched === 2, 'republished row');
    expect(got[0]).toEqual({
      topic: 'ws/v1/alerts/n1/flow',
      payload: JSON.stringify({ node: 'n1', flow: 360, clientid: 'edge-1' }),
      props: { rule: 'high-flow' },
    });
    expect(engine.metrics('high-flow')).toMatchObject({ matched: 2, passed: 1, noResult: 1 });
  });

  it('emits a tumbling window average on the injected clock and sees broker events', async () => {
    const clock = new FakeClock(1_700_000_040_000);
    engine = createRuleEngine({ source: brokerMessageSource(broker, () => clock.now()), clock });
    engine.addRule({
      id: 'avg',
      sql: `SELECT topic, avg(payload.values.flow) AS mean, count(*) AS n
            FROM "ws/v1/+/+/+/data" GROUP BY topic, TUMBLINGWINDOW(ss, 60)`,
      actions: [{ type: 'republish', topic: 'out/avg' }],
    });
    engine.addRule({
      id: 'online',
      sql: `SELECT clientid, event FROM "$events/client_connected"`,
      actions: [{ type: 'republish', topic: 'out/online/${clientid}' }],
    });
    const sub = await connect('console');
    const got = inbox(sub);
    await sub.subscribeAsync('out/#', { qos: 1 });
    const edge = await connect('edge-2');
    for (const flow of [10, 20, 60]) {
      await edge.publishAsync('ws/v1/s1/n2/g1/data', JSON.stringify({ v: 1, values: { flow } }), { qos: 1 });
    }
    await until(() => engine.metrics('avg').passed === 3, 'three uplinks in the window');
    await clock.advance(60_000);
    await until(() => got.some((m) => m.topic === 'out/avg'), 'window row');
    expect(JSON.parse(got.find((m) => m.topic === 'out/avg')!.payload)).toEqual({
      topic: 'ws/v1/s1/n2/g1/data',
      mean: 30,
      n: 3,
    });
    expect(got.some((m) => m.topic === 'out/online/edge-2')).toBe(true);
  });
});
