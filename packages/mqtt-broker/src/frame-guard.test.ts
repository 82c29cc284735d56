import { generate } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { FrameSizeGuard } from './frame-guard.js';

const publish = (size: number): Buffer =>
  generate({ cmd: 'publish', topic: 't', payload: Buffer.alloc(size), qos: 0, retain: false, dup: false });

describe('FrameSizeGuard', () => {
  it('passes packets within the limit, however the stream is split', () => {
    const bytes = Buffer.concat([publish(10), publish(200), publish(0)]);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const guard = new FrameSizeGuard(300);
      expect(guard.check(bytes.subarray(0, cut))).toBe(-1);
      expect(guard.check(bytes.subarray(cut))).toBe(-1);
    }
  });

  it('reports an oversized packet from its header alone', () => {
    const big = publish(5000);
    const guard = new FrameSizeGuard(1000);
    expect(guard.check(publish(10))).toBe(-1);
    // only the first three bytes (type + 2-byte length) are needed
    expect(guard.check(big.subarray(0, 3))).toBe(big.length);
  });
});
