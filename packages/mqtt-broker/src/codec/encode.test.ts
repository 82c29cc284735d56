import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { encodePublish } from './encode.js';

describe('encodePublish', () => {
  it('writes the same bytes as mqtt-packet for every QoS, flag, protocol and size class', () => {
    const topics = ['t', 'water/plant0/meter0', 'wasser/Größe/µ', ''];
    // Remaining Length of 1, 2, 3 and 4 bytes (MQTT 5.0 §1.5.5).
    const sizes = [0, 10, 200, 20_000, 2_100_000];
    for (const topic of topics)
      for (const size of sizes)
        for (const qos of [0, 1, 2] as const)
          for (const v5 of [false, true])
            for (const [retain, dup] of [
              [false, false],
              [true, true],
            ] as const) {
              const payload = Buffer.alloc(size, 0x5a);
              const messageId = qos > 0 ? 40_000 : undefined;
              const expected = generate(
                { cmd: 'publish', topic, payload, qos, retain, dup, ...(messageId && { messageId }) },
                { protocolVersion: v5 ? 5 : 4 },
              );
              const got = encodePublish(topic, payload, qos, retain, dup, messageId ?? 0, v5);
              expect(got.equals(expected), `${topic} ${size} qos${qos} v5=${v5} ${retain}`).toBe(true);
            }
  });
});
