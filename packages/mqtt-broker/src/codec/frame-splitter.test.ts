import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { BrokerErrors } from '../errors.js';
import { FrameSplitter, HEADER_INCOMPLETE, HEADER_MALFORMED, readFixedHeader } from './frame-splitter.js';

const publish = (size: number, topic = 't'): Buffer =>
  generate({ cmd: 'publish', topic, payload: Buffer.alloc(size, 7), qos: 0, retain: false, dup: false });
const PINGREQ = Buffer.from([0xc0, 0x00]);

function drain(splitter: FrameSplitter): Buffer[] {
  const out: Buffer[] = [];
  for (let f = splitter.next(); f !== undefined; f = splitter.next()) out.push(f);
  return out;
}

/** Feeds `bytes` in pieces of `step` bytes, each a fresh buffer as a socket delivers them. */
function splitInSteps(bytes: Buffer, step: number, max = 1 << 20): Buffer[] {
  const splitter = new FrameSplitter(max);
  const frames: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += step) {
    splitter.push(Buffer.from(bytes.subarray(i, i + step)));
    frames.push(...drain(splitter));
  }
  return frames;
}

describe('readFixedHeader', () => {
  it('returns the whole packet size from type byte and Remaining Length (MQTT 5.0 §2.1.1)', () => {
    expect(readFixedHeader(PINGREQ, 0, 2)).toBe(2);
    const big = publish(10_000); // two length bytes
    expect(readFixedHeader(big, 0, 3)).toBe(big.length);
    expect(readFixedHeader(big, 0, 2)).toBe(HEADER_INCOMPLETE);
    expect(readFixedHeader(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 0, 6)).toBe(HEADER_MALFORMED);
  });
});

describe('FrameSplitter', () => {
  const stream = Buffer.concat([publish(10), PINGREQ, publish(300, 'water/plant1/meter2'), publish(0)]);
  const expected = [publish(10), PINGREQ, publish(300, 'water/plant1/meter2'), publish(0)];

  it('returns the same packets however the stream is cut, byte by byte included', () => {
    for (const step of [1, 2, 3, 5, 7, 64, 1000]) {
      expect(splitInSteps(stream, step)).toEqual(expected);
    }
  });

  it('returns whole packets of one read as views, without copying', () => {
    const splitter = new FrameSplitter(1 << 20);
    splitter.push(stream);
    const frames = drain(splitter);
    expect(frames).toEqual(expected);
    expect(frames[0]!.buffer).toBe(stream.buffer);
    expect(splitter.buffered).toBe(0);
  });

  it('holds nothing at a packet boundary and little for a large packet that has barely begun', () => {
    const splitter = new FrameSplitter(1 << 20);
    splitter.push(publish(10));
    drain(splitter);
    expect(splitter.buffered).toBe(0);
    const big = publish(500_000);
    splitter.push(big.subarray(0, 10));
    expect(splitter.next()).toBeUndefined();
    expect(splitter.buffered).toBe(10);
    splitter.push(big.subarray(10, 20_000));
    expect(splitter.next()).toBeUndefined();
    splitter.push(big.subarray(20_000));
    expect(splitter.next()!.equals(big)).toBe(true);
    expect(splitter.buffered).toBe(0);
  });

  it('refuses a packet over the limit from its header alone [MQTT-3.2.2-15]', () => {
    const splitter = new FrameSplitter(1000);
    splitter.push(publish(5000).subarray(0, 3));
    let caught: unknown;
    try {
      splitter.next();
    } catch (err) {
      caught = err;
    }
    expect(BrokerErrors.PACKET_TOO_LARGE.is(caught)).toBe(true);
    expect((caught as Error).message).toContain(`${publish(5000).length} bytes`);
  });

  it('refuses a header split across reads once it shows the packet is too large', () => {
    const splitter = new FrameSplitter(1000);
    const big = publish(5000);
    splitter.push(big.subarray(0, 2));
    expect(splitter.next()).toBeUndefined();
    splitter.push(big.subarray(2, 4));
    expect(() => splitter.next()).toThrow(/exceeds the limit of 1000/);
  });

  it('refuses a Remaining Length of five bytes (MQTT 5.0 §1.5.5)', () => {
    const splitter = new FrameSplitter(1 << 30);
    splitter.push(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]));
    expect(() => splitter.next()).toThrow(BrokerErrors.MALFORMED_PACKET.message.split(':')[0]!);
  });

  it('refuses another protocol at its first byte, without waiting for the declared length', () => {
    const http = new FrameSplitter(1 << 20);
    // 'G' = PUBACK with flag bits 0111 [MQTT-2.2.2-2]
    http.push(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect(() => http.next()).toThrow(/Invalid header flag bits, must be 0x0 for puback packet/);
    const qos3 = new FrameSplitter(1 << 20);
    qos3.push(Buffer.from([0x36, 0x03]));
    expect(() => qos3.next()).toThrow(/both QoS bits/); // [MQTT-3.3.1-4]
    const reserved = new FrameSplitter(1 << 20);
    reserved.push(Buffer.from([0x00, 0x00]));
    expect(() => reserved.next()).toThrow(/reserved packet type/);
  });
});
