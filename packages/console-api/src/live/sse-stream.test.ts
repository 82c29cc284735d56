import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import type { SampleRow } from '@watershed/store';
import { SseStream, type SseStreamOptions } from './sse-stream.js';

/** Just enough of a ServerResponse to watch what the stream writes and to fake a slow client. */
class FakeResponse {
  chunks: string[] = [];
  writableEnded = false;
  writableNeedDrain = false;
  destroyed = false;
  status = 0;
  #onClose: (() => void) | undefined;
  writeHead(status: number): this {
    this.status = status;
    return this;
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
  on(event: string, fn: () => void): this {
    if (event === 'close') this.#onClose = fn;
    return this;
  }
  disconnect(): void {
    this.#onClose?.();
  }
  events(): unknown[][] {
    return this.chunks
      .filter((c) => c.startsWith('event: samples'))
      .map((c) =>
        (JSON.parse(c.split('data: ')[1] ?? '[]') as { point: string; ts: number }[]).map((r) => [
          r.point,
          r.ts,
        ]),
      );
  }
}

const row = (point: string, ts: number): SampleRow => ({ point, ts, value: ts, quality: 'good' });

function setup(opts: Partial<SseStreamOptions> = {}) {
  const clock = new FakeClock(0);
  const res = new FakeResponse();
  const stream = new SseStream(res as unknown as ServerResponse, {
    clock,
    minIntervalMs: 250,
    heartbeatMs: 15_000,
    filter: undefined,
    maxBuffered: 100,
    ...opts,
  });
  stream.start();
  return { clock, res, stream };
}

describe('SseStream', () => {
  it('sends the first batch at once and coalesces the rest of the window', async () => {
    const { clock, res, stream } = setup();
    stream.push([row('a', 1)]);
    stream.push([row('a', 2)]);
    stream.push([row('b', 3)]);
    expect(res.events()).toEqual([[['a', 1]]]);
    await clock.advance(249);
    expect(res.events()).toHaveLength(1);
    await clock.advance(1);
    expect(res.events()).toEqual([
      [['a', 1]],
      [
        ['a', 2],
        ['b', 3],
      ],
    ]);
    await clock.advance(1000);
    stream.push([row('c', 4)]); // quiet long enough: straight out again
    expect(res.events().at(-1)).toEqual([['c', 4]]);
  });

  it('holds rows while the client is slow, collapsing them to the newest per point', async () => {
    const { clock, res, stream } = setup({ maxBuffered: 3 });
    res.writableNeedDrain = true;
    stream.push([row('a', 1), row('b', 1)]);
    stream.push([row('a', 2), row('a', 3)]);
    await clock.advance(1000);
    expect(res.events()).toEqual([]);
    res.writableNeedDrain = false;
    await clock.advance(250);
    expect(res.events()).toEqual([
      [
        ['a', 3],
        ['b', 1],
      ],
    ]);
  });

  it('beats every heartbeat interval and releases timers and its listener on disconnect', async () => {
    let closed = 0;
    const { clock, res, stream } = setup();
    stream.onClose(() => closed++);
    await clock.advance(30_000);
    expect(res.chunks.filter((c) => c === 'event: heartbeat\ndata: {}\n\n')).toHaveLength(2);
    stream.push([row('a', 1)]);
    stream.push([row('a', 2)]); // leaves a coalescing timer pending
    res.disconnect();
    stream.close();
    expect(closed).toBe(1);
    expect(clock.pending).toBe(0);
    expect(res.writableEnded).toBe(true);
    stream.push([row('a', 3)]);
    expect(res.events()).toEqual([[['a', 1]]]);
    let late = 0;
    stream.onClose(() => late++);
    expect(late).toBe(1);
  });
});
