import { describe, expect, it } from 'vitest';
import type { EdgeHealth } from '@watershed/edge-runtime';
import { snapshotOf } from './snapshot.js';

const group = (p50: number, p99: number, polls: number, overruns: number) => ({
  device: 'plc01',
  seq: polls,
  polls,
  errors: 0,
  overruns,
  latenessP50Ms: p50,
  latenessP99Ms: p99,
  latenessBuckets: [polls - overruns, overruns, 0],
});

describe('snapshotOf', () => {
  it("sums the groups' counters and reports the worst and the median group's lateness and the summed histogram", () => {
    const health = {
      node: 'gw1',
      configVersion: 0,
      uplink: {
        connected: true,
        published: 30,
        acked: 28,
        inflight: 2,
        backlog: 2,
        backlogBytes: 10,
        dropped: 0,
      },
      devices: {},
      groups: { a: group(1, 10, 10, 0), b: group(3, 90, 10, 2), c: group(2, 20, 10, 0) },
      writes: {},
    } as unknown as EdgeHealth;
    expect(snapshotOf(health, 5000)).toEqual({
      uptimeMs: 5000,
      connected: true,
      published: 30,
      acked: 28,
      backlog: 2,
      dropped: 0,
      groups: 3,
      polls: 30,
      overruns: 2,
      pollErrors: 0,
      latenessP50MedianMs: 2,
      latenessP99MaxMs: 90,
      latenessP99MedianMs: 20,
      latenessBuckets: [28, 2, 0],
    });
  });
});
