import { generate, parser as createParser, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { BrokerErrors } from '../errors.js';
import { BEFORE_CONNECT, decodePacket, settingsFor } from './decode.js';

/** What mqtt-packet's own streaming parser makes of the same bytes: the reference. */
function reference(bytes: Buffer, protocolVersion?: number): Packet {
  const packets: Packet[] = [];
  const p = createParser(protocolVersion ? { protocolVersion } : {});
  p.on('packet', (x) => packets.push(x));
  p.on('error', (err) => {
    throw err;
  });
  p.parse(bytes);
  expect(packets).toHaveLength(1);
  return packets[0]!;
}

const plain = (p: Packet): Record<string, unknown> => ({ ...p });

describe('decodePacket', () => {
  const v4 = settingsFor(4, false);
  const v5 = settingsFor(5, false);

  it('decodes PUBLISH exactly as mqtt-packet does, QoS 0–2, flags and UTF-8 topics', () => {
    const cases = [
      { qos: 0, retain: false, dup: false, topic: 'water/plant0/meter0', payload: Buffer.from('{"v":1}') },
      { qos: 1, retain: true, dup: false, topic: 'a', payload: Buffer.alloc(0), messageId: 7 },
      {
        qos: 2,
        retain: false,
        dup: true,
        topic: 'wasser/Größe/µ',
        payload: Buffer.alloc(300, 1),
        messageId: 65535,
      },
    ] as const;
    for (const c of cases) {
      for (const [settings, version] of [
        [v4, 4],
        [v5, 5],
      ] as const) {
        const bytes = generate({ cmd: 'publish', ...c }, { protocolVersion: version });
        const got = decodePacket(bytes, settings);
        expect(plain(got)).toEqual(plain(reference(bytes, version)));
        // The payload is a view of the frame: no copy per message.
        expect((got as { payload: Buffer }).payload.buffer).toBe(bytes.buffer);
      }
    }
  });

  it('leaves MQTT 5 PUBLISH properties to mqtt-packet', () => {
    const bytes = generate(
      {
        cmd: 'publish',
        topic: 't',
        payload: Buffer.from('x'),
        qos: 1,
        messageId: 3,
        retain: false,
        dup: false,
        properties: { contentType: 'application/json', userProperties: { site: 'north' } },
      },
      { protocolVersion: 5 },
    );
    expect(plain(decodePacket(bytes, v5))).toEqual(plain(reference(bytes, 5)));
  });

  it('decodes CONNECT before the version is known, then packets by the version CONNECT declared', () => {
    const connect = generate({
      cmd: 'connect',
      clientId: 'c1',
      protocolVersion: 5,
      keepalive: 30,
      clean: true,
    });
    const decoded = decodePacket(connect, BEFORE_CONNECT);
    expect(decoded).toMatchObject({ cmd: 'connect', clientId: 'c1', protocolVersion: 5 });
    const subscribe = generate(
      {
        cmd: 'subscribe',
        messageId: 1,
        subscriptions: [{ topic: 'a/#', qos: 1, nl: true, rap: true, rh: 2 }],
      },
      { protocolVersion: 5 },
    );
    expect(decodePacket(subscribe, v5)).toMatchObject({
      subscriptions: [{ topic: 'a/#', qos: 1, nl: true, rap: true, rh: 2 }],
    });
  });

  it('reports malformed packets with the codec error and recovers for the next one', () => {
    // PUBLISH whose topic length runs past the packet
    const bad = Buffer.from([0x30, 0x03, 0x00, 0x09, 0x74]);
    let caught: unknown;
    try {
      decodePacket(bad, v4);
    } catch (err) {
      caught = err;
    }
    expect(BrokerErrors.MALFORMED_PACKET.is(caught)).toBe(true);
    expect((caught as Error).message).toMatch(/Cannot parse topic/);
    const good = generate({ cmd: 'pingreq' });
    expect(decodePacket(good, v4)).toMatchObject({ cmd: 'pingreq' });
    const sub = generate({ cmd: 'subscribe', messageId: 2, subscriptions: [{ topic: 'x', qos: 0 }] });
    expect(decodePacket(sub, v4)).toMatchObject({ cmd: 'subscribe', messageId: 2 });
  });
});
