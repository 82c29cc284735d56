import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import mqtt, { type MqttClient } from 'mqtt';
import { Value } from 'typebox/value';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MqttIngressConfigSchema, type MqttIngressConfig } from './config.js';
import { MqttBridgeIngress, type BridgedMessage, type IngressDeps } from './ingress.js';
import { startMosquitto, type Mosquitto } from './testing/mosquitto.js';

let broker: Mosquitto;
let publisher: MqttClient;
const running: MqttBridgeIngress[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
  publisher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
}, 30_000);
afterAll(async () => {
  await publisher?.endAsync();
  await broker?.close();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((i) => i.close()));
});

function ingress(
  onMessage: (m: BridgedMessage) => Promise<void>,
  over: Partial<MqttIngressConfig> = {},
  onLinkChange?: IngressDeps['onLinkChange'],
): MqttBridgeIngress {
  const config = Value.Default(MqttIngressConfigSchema, {
    url: broker.url,
    clientId: `ingress-${running.length}-${Date.now()}`,
    subscriptions: [{ filter: 'office/cmd/#' }],
    mappings: [{ from: 'office/cmd/#', to: 'ws/v1/#' }],
    reconnect: { initialMs: 20, maxMs: 100 },
    ...over,
  }) as MqttIngressConfig;
  const i = new MqttBridgeIngress(
    config,
    { logger: silentLogger(), clock: systemClock, ...(onLinkChange && { onLinkChange }) },
    onMessage,
  );
  running.push(i);
  return i;
}

const collect =
  (into: BridgedMessage[]) =>
  (m: BridgedMessage): Promise<void> => {
    into.push(m);
    return Promise.resolve();
  };
const collectText =
  (into: string[]) =>
  (m: BridgedMessage): Promise<void> => {
    into.push(m.payload.toString());
    return Promise.resolve();
  };

describe('MqttBridgeIngress against Mosquitto', () => {
  it.each([4, 5] as const)(
    'hands over remote messages in order, topics mapped (MQTT %s)',
    async (protocolVersion) => {
      const got: BridgedMessage[] = [];
      const i = ingress(collect(got), { protocolVersion });
      i.start();
      await i.ready();
      expect(i.health().state).toBe('up');
      for (let n = 0; n < 50; n++)
        await publisher.publishAsync('office/cmd/s1/n1/mgmt/write', `w${n}`, { qos: 1 });
      await waitFor(() => got.length === 50, { message: '50 messages handed over' });
      expect(got.map((m) => m.payload.toString())).toEqual(Array.from({ length: 50 }, (_, n) => `w${n}`));
      expect(got[0]).toMatchObject({
        topic: 'ws/v1/s1/n1/mgmt/write',
        remoteTopic: 'office/cmd/s1/n1/mgmt/write',
        qos: 1,
      });
    },
  );

  it('acknowledges only after the callback resolved: a failed hand-over is redelivered, in order', async () => {
    const got: string[] = [];
    let failOnce = true;
    const i = ingress((m) => {
      const p = m.payload.toString();
      if (p === 'c3' && failOnce) {
        failOnce = false;
        return Promise.reject(new Error('local broker not ready'));
      }
      got.push(p);
      return Promise.resolve();
    });
    i.start();
    await i.ready();
    for (let n = 0; n < 6; n++) await publisher.publishAsync('office/cmd/x', `c${n}`, { qos: 1 });
    await waitFor(() => got.includes('c5'), { message: 'all six handed over after the redelivery' });
    // c3 failed, was not acknowledged, and came back (with what followed) after the reconnect.
    expect(got).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
  });

  it('keeps its session: messages published while it is away arrive after it reconnects', async () => {
    const got: string[] = [];
    const config = { clientId: `ingress-session-${Date.now()}` };
    const first = ingress(collectText(got), config);
    first.start();
    await first.ready();
    await first.close();
    for (let n = 0; n < 5; n++) await publisher.publishAsync('office/cmd/offline', `o${n}`, { qos: 1 });
    const second = ingress(collectText(got), config);
    second.start();
    await waitFor(() => got.length === 5, { message: 'queued messages after reconnect' });
    expect(got).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
  });
  it('reconnects after the remote crashed and subscribes again when the session was lost', async () => {
    const own = await startMosquitto(); // no persistence: the crash loses our session
    try {
      const got: string[] = [];
      const changes: string[] = [];
      const i = ingress(collectText(got), { url: own.url }, (c) => changes.push(c.state));
      i.start();
      await i.ready();
      await own.kill();
      await waitFor(() => i.health().state === 'down', { message: 'ingress down after the crash' });
      await own.restart();
      await i.ready();
      const pub = await mqtt.connectAsync(own.url, { reconnectPeriod: 0 });
      try {
        await pub.publishAsync('office/cmd/after', 'back', { qos: 1 });
      } finally {
        await pub.endAsync();
      }
      await waitFor(() => got.length === 1, { message: 'a message after the restart' });
      expect(got).toEqual(['back']);
      // Transitions only: the failed attempts while the remote was gone report nothing.
      expect(changes).toEqual(['up', 'down', 'up']);
      await i.close();
      expect(changes).toEqual(['up', 'down', 'up', 'closed']);
    } finally {
      await own.close();
    }
  });
});
