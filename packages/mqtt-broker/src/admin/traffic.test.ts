import { createMetricsRegistry } from '@watershed/common';
import { generate, type IConnectPacket, type IPublishPacket } from 'mqtt-packet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, until, type Harness } from '../test-harness.js';
import type { BrokerMessage } from '../types.js';
import { BrokerAdmin } from './broker-admin.js';

const CONNECT = (clientId: string): IConnectPacket => ({
  cmd: 'connect',
  protocolId: 'MQTT',
  protocolVersion: 4,
  clean: true,
  keepalive: 0,
  clientId,
});
const PUBLISH = (payload: string): IPublishPacket => ({
  cmd: 'publish',
  topic: 'ws/v1/north/gw1/g/data',
  payload: Buffer.from(payload),
  qos: 0,
  retain: false,
  dup: false,
});
/** Wire sizes as an independent encoder (mqtt-packet) makes them. */
const size = (p: IConnectPacket | IPublishPacket): number => generate(p, { protocolVersion: 4 }).length;
const CONNACK_BYTES = 4;

describe('per-client byte and packet counters', () => {
  let h: Harness;
  let admin: BrokerAdmin;
  let metrics: ReturnType<typeof createMetricsRegistry>;

  beforeEach(async () => {
    metrics = createMetricsRegistry();
    h = await startHarness({ metrics });
    admin = new BrokerAdmin(h.broker);
  });
  afterEach(async () => {
    admin.close();
    await h.close();
  });

  it('counts bytes and packets in and out per connection, in the broker totals, $SYS and Prometheus', async () => {
    const big = await h.raw();
    await big.connect('big');
    big.send(PUBLISH('x'.repeat(300)));
    const small = await h.raw();
    await small.connect('small');
    small.send(PUBLISH('y'));
    small.send({ cmd: 'pingreq' });
    await small.next('PINGRESP');
    await until(() => admin.client('big')?.packetsIn === 2, 'the big PUBLISH to be read');

    expect(admin.client('big')).toMatchObject({
      bytesIn: size(CONNECT('big')) + size(PUBLISH('x'.repeat(300))),
      packetsIn: 2,
      bytesOut: CONNACK_BYTES,
      packetsOut: 1,
    });
    // PINGREQ and PINGRESP are two bytes each [MQTT-3.12, 3.13].
    expect(admin.client('small')).toMatchObject({
      bytesIn: size(CONNECT('small')) + size(PUBLISH('y')) + 2,
      packetsIn: 3,
      bytesOut: CONNACK_BYTES + 2,
      packetsOut: 2,
    });

    const { items } = admin.clients({ sort: 'bytesIn' });
    expect(items.map((c) => c.clientId)).toEqual(['big', 'small']);
    expect(admin.clients({ sort: 'bytesOut', order: 'asc' }).items.map((c) => c.clientId)).toEqual([
      'big',
      'small',
    ]);

    // Totals keep what closed connections carried.
    big.destroy();
    await until(() => admin.clients().total === 1, 'the big client to go');
    const total = size(CONNECT('big')) + size(PUBLISH('x'.repeat(300))) + admin.client('small')!.bytesIn;
    expect(h.broker.stats()).toMatchObject({ bytesIn: total, packetsIn: 5, bytesOut: 2 * CONNACK_BYTES + 2 });
    expect(admin.stats().current).toMatchObject({ bytesIn: total, packetsOut: 3 });

    const text = await metrics.metrics();
    expect(text).toContain(`watershed_mqtt_bytes_received_total{node="watershed"} ${total}`);
    expect(text).toContain(`watershed_mqtt_packets_sent_total{node="watershed"} 3`);
  });

  it('publishes the totals on $SYS/brokers/{node}/bytes/… and packets/…', async () => {
    await h.close();
    h = await startHarness({ sysIntervalMs: 20 });
    const raw = await h.raw();
    await raw.connect('c');
    const seen = new Map<string, string>();
    h.broker.subscribe('$SYS/brokers/+/+/+', (m: BrokerMessage) => seen.set(m.topic, m.payload.toString()));
    await until(
      () => seen.get('$SYS/brokers/watershed/bytes/received') === String(size(CONNECT('c'))),
      '$SYS bytes',
    );
    expect(seen.get('$SYS/brokers/watershed/bytes/sent')).toBe(String(CONNACK_BYTES));
    expect(seen.get('$SYS/brokers/watershed/packets/received')).toBe('1');
    expect(seen.get('$SYS/brokers/watershed/packets/sent')).toBe('1');
  });
});
