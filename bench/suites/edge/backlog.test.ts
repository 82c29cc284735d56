import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '@watershed/edge-runtime';
import { decodeUplink } from '@watershed/model';
import { writeBacklog } from './backlog.js';
import { DEFAULT_LAYOUT, groupName } from './plan.js';

describe('writeBacklog', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('leaves a buffer the runtime reads as an outage: every group, every second, in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-edge-backlog-'));
    dirs.push(dir);
    const file = join(dir, 'b.sqlite');
    const layout = { ...DEFAULT_LAYOUT, devices: 2, tagsPerDevice: 10, tagsPerGroup: 5 };
    const end = 1_800_000_000_000;
    const written = writeBacklog(file, layout, 3, end);
    expect(written).toMatchObject({ messages: 12, samples: 60 });

    const outbox = new Outbox({ file });
    try {
      expect(outbox.stats()).toMatchObject({ backlog: 12, backlogBytes: written.bytes });
      // The gateway continues each group's seq after the outage's last one.
      expect(outbox.nextSeq(groupName(1, 1))).toBe(3);
      const entries = outbox.peek(0, 100);
      expect(entries.map((e) => e.seq)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
      const first = decodeUplink(entries[0]!.payload.toString());
      expect(first.ok && first.message).toMatchObject({ group: 'plc01-g1', seq: 0, ts: end - 3000 });
      expect(first.ok && Object.keys(first.message.values)).toEqual([
        't0001',
        't0002',
        't0003',
        't0004',
        't0005',
      ]);
      expect(entries[0]!.topic).toBe('ws/v1/bench/gw1/plc01-g1/data');
    } finally {
      outbox.close();
    }
  });
});
