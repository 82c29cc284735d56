import { parser as createParser, type IPublishPacket, type Packet } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import {
  FrameReader,
  PublishTemplate,
  payloadLayout,
  publishMessageId,
  publishPayloadStart,
  readPublisher,
  readSeq,
  readTimeNs,
  writeDigits,
  writePuback,
} from './frames.js';

/** What mqtt-packet, the broker's own codec, makes of the bytes. */
function decode(bytes: Buffer): Packet[] {
  const p = createParser({ protocolVersion: 4 });
  const out: Packet[] = [];
  p.on('packet', (packet) => out.push(packet));
  p.on('error', (err) => {
    throw err;
  });
  p.parse(bytes);
  return out;
}

describe('PublishTemplate', () => {
  const layout = payloadLayout(100);

  it('builds a ~100-byte JSON payload', () => {
    expect(layout.template.length).toBe(100);
    expect(JSON.parse(layout.template.toString())).toMatchObject({ p: '00000', s: '0000000000', q: 'good' });
  });

  it('fills consecutive packets that a real codec decodes, with sequence, time and packet ids', () => {
    const t = new PublishTemplate('water/plant3/meter13', 1, 13, layout);
    const packets = decode(t.fill(3, 65_534, 123_456_789)) as IPublishPacket[];
    expect(packets.map((p) => p.messageId)).toEqual([65_535, 1, 2]);
    for (const [k, p] of packets.entries()) {
      expect(p.topic).toBe('water/plant3/meter13');
      expect(p.qos).toBe(1);
      const body = JSON.parse((p.payload as Buffer).toString()) as Record<string, string>;
      expect(body).toMatchObject({
        p: '00013',
        s: String(65_534 + k).padStart(10, '0'),
        t: '000000123456789',
      });
    }
  });
});

describe('FrameReader', () => {
  const layout = payloadLayout(100);
  const qos0 = new PublishTemplate('water/a', 0, 7, layout).fill(2, 40, 5);
  const qos1 = new PublishTemplate('water/plant1/meter2', 1, 9, layout).fill(1, 41, 6);
  const stream = Buffer.concat([qos0, qos1]);

  function collect(chunks: Buffer[]): Array<{ pub: number; seq: number; time: number; id?: number }> {
    const seen: Array<{ pub: number; seq: number; time: number; id?: number }> = [];
    const reader = new FrameReader((first, buf, body) => {
      const start = publishPayloadStart(first, buf, body);
      seen.push({
        pub: readPublisher(buf, start, layout),
        seq: readSeq(buf, start, layout),
        time: readTimeNs(buf, start, layout),
        ...((first >> 1) & 3 ? { id: publishMessageId(buf, body) } : {}),
      });
    });
    for (const c of chunks) reader.push(c);
    return seen;
  }

  const expected = [
    { pub: 7, seq: 40, time: 5 },
    { pub: 7, seq: 41, time: 5 },
    { pub: 9, seq: 41, time: 6, id: 42 },
  ];

  it('reads whole frames from one chunk', () => {
    expect(collect([stream])).toEqual(expected);
  });

  it('reassembles frames cut at every possible byte, even when the caller reuses its buffer', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const shared = Buffer.alloc(stream.length);
      const seen: ReturnType<typeof collect> = [];
      const reader = new FrameReader((first, buf, body) => {
        const start = publishPayloadStart(first, buf, body);
        seen.push({
          pub: readPublisher(buf, start, layout),
          seq: readSeq(buf, start, layout),
          time: readTimeNs(buf, start, layout),
          ...((first >> 1) & 3 ? { id: publishMessageId(buf, body) } : {}),
        });
      });
      stream.copy(shared, 0, 0, cut);
      reader.push(shared.subarray(0, cut));
      shared.fill(0);
      stream.copy(shared, 0, cut);
      reader.push(shared.subarray(0, stream.length - cut));
      expect(seen, `cut at ${cut}`).toEqual(expected);
    }
  });

  it('reads multi-byte Remaining Lengths', () => {
    const big = new PublishTemplate('water/big', 0, 1, payloadLayout(300)).fill(1, 3, 0);
    expect(big[1]! & 0x80).toBe(0x80);
    let frames = 0;
    new FrameReader((_first, _buf, _body, end) => {
      frames++;
      expect(end).toBe(big.length);
    }).push(big);
    expect(frames).toBe(1);
  });
});

describe('digits and acks', () => {
  it('writes fixed-width zero-padded digits', () => {
    const b = Buffer.alloc(6, 0x20);
    writeDigits(b, 1, 4, 42);
    expect(b.toString()).toBe(' 0042 ');
  });

  it('writes a PUBACK a codec accepts', () => {
    const b = Buffer.alloc(4);
    writePuback(b, 0, 513);
    expect(decode(b)).toMatchObject([{ cmd: 'puback', messageId: 513 }]);
  });
});
