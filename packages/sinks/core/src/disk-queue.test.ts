import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskQueue } from './disk-queue.js';

const bodies = (from: number, n: number): string[] =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ seq: from + i }));
const bytesOf = (b: readonly string[]): number => b.reduce((n, s) => n + Buffer.byteLength(s), 0);

describe('DiskQueue', () => {
  let dir: string;
  let file: string;
  const open: DiskQueue[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-disk-queue-'));
    file = join(dir, 'sinks', 'q.db');
  });

  afterEach(async () => {
    for (const q of open.splice(0)) q.close();
    await rm(dir, { recursive: true, force: true });
  });

  const queue = (): DiskQueue => {
    const q = new DiskQueue(file);
    open.push(q);
    return q;
  };

  it('is one FIFO across appends at the tail and prepends at the head', () => {
    const q = queue();
    q.append(bodies(10, 3), bytesOf(bodies(10, 3)));
    q.prepend(bodies(5, 5), bytesOf(bodies(5, 5)));
    q.append(bodies(13, 2), bytesOf(bodies(13, 2)));
    expect(q.count).toBe(10);
    expect(q.peek(100)!.bodies).toEqual(bodies(5, 10));
  });

  it('keeps rows until removed, across a reopen, with counts and bytes restored', () => {
    const q = queue();
    q.append(bodies(0, 6), bytesOf(bodies(0, 6)));
    const head = q.peek(4)!;
    expect(head.bodies).toEqual(bodies(0, 4));
    expect(q.count).toBe(6); // peeking removes nothing
    q.removeThrough(head);
    expect(q.count).toBe(2);
    expect(q.bytes).toBe(bytesOf(bodies(4, 2)));
    q.close();
    const again = queue();
    expect(again.count).toBe(2);
    expect(again.bytes).toBe(bytesOf(bodies(4, 2)));
    expect(again.peek(10)!.bodies).toEqual(bodies(4, 2));
    again.prepend(bodies(3, 1), bytesOf(bodies(3, 1)));
    expect(again.peek(10)!.bodies).toEqual(bodies(3, 3));
  });

  it('gives pages back once drained', () => {
    const q = queue();
    const big = Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ seq: i, pad: 'x'.repeat(200) }));
    q.append(big, bytesOf(big));
    const full = q.fileBytes();
    q.removeThrough(q.peek(2_000)!);
    expect(q.count).toBe(0);
    expect(q.fileBytes()).toBeLessThan(full / 10);
  });
});
