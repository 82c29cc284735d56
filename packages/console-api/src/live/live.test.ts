import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { openEmbeddedStore, type SampleRow, type Store } from '@watershed/store';
import { buildConsoleApi } from '../app.js';
import { bearerFor } from '../auth/testing.js';
import type { LiveFeed } from '../routes/live.js';

class TestFeed implements LiveFeed {
  readonly listeners = new Set<(rows: readonly SampleRow[]) => void>();
  subscribe(listener: (rows: readonly SampleRow[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(rows: readonly SampleRow[]): void {
    for (const l of this.listeners) l(rows);
  }
}

/** Reads an SSE response block by block (blocks end with a blank line). */
class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #text = '';

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  async next(): Promise<{ event?: string; data?: string; comments: string[] } | undefined> {
    for (;;) {
      const end = this.#text.indexOf('\n\n');
      if (end >= 0) {
        const block = this.#text.slice(0, end);
        this.#text = this.#text.slice(end + 2);
        const out: { event?: string; data?: string; comments: string[] } = { comments: [] };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) out.comments.push(line.slice(1).trim());
          else if (line.startsWith('event: ')) out.event = line.slice(7);
          else if (line.startsWith('data: ')) out.data = line.slice(6);
        }
        return out;
      }
      const { value, done } = await this.#reader.read();
      if (done) return undefined;
      this.#text += this.#decoder.decode(value, { stream: true });
    }
  }

  /** The next `samples` event's rows. */
  async samples(): Promise<unknown[]> {
    for (;;) {
      const block = await this.next();
      if (!block) throw new Error('stream ended');
      if (block.event === 'samples') return JSON.parse(block.data ?? '[]') as unknown[];
    }
  }
}

async function until(cond: () => boolean, what: string, deadlineMs = 5000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

const row = (point: string, ts: number, value: SampleRow['value']): SampleRow => ({
  point,
  ts,
  value,
  quality: 'good',
});

describe('GET /api/v1/live (Server-Sent Events over a real socket)', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let base: string;
  let headers: { authorization: string };
  const feed = new TestFeed();
  const clock = new FakeClock(0);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-api-live-'));
    store = await openEmbeddedStore({ dir });
    app = await buildConsoleApi({ store, live: feed, metrics: createMetricsRegistry(), clock });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    headers = { authorization: await bearerFor(store, 'viewer') };
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams filtered samples, coalescing bursts, with heartbeats, and cleans up on disconnect', async () => {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/live?points=a,b`, { signal: abort.signal, headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const sse = new SseReader(res.body!);
    expect((await sse.next())?.comments).toEqual(['connected']);
    await until(() => feed.listeners.size === 1, 'the subscription');
    feed.emit([row('a', 1, 1.5), row('c', 1, 'filtered out')]);
    expect(await sse.samples()).toEqual([{ point: 'a', ts: 1, value: 1.5, quality: 'good' }]);

    // A burst inside the 250 ms window leaves as one event when the window ends.
    feed.emit([row('b', 2, true)]);
    feed.emit([{ point: 'a', ts: 3, value: null, quality: 'bad', reason: 'WS_ERR_X' }]);
    feed.emit([row('c', 3, 0)]);
    await clock.advance(250);
    expect(await sse.samples()).toEqual([
      { point: 'b', ts: 2, value: true, quality: 'good' },
      { point: 'a', ts: 3, value: null, quality: 'bad', reason: 'WS_ERR_X' },
    ]);
    await clock.advance(15_000);
    expect(await sse.next()).toMatchObject({ event: 'heartbeat', data: '{}' });

    abort.abort();
    await until(() => feed.listeners.size === 0, 'the unsubscription on disconnect');
    expect(clock.pending).toBe(0); // heartbeat and coalescing timers released
  });

  it('ends open streams when the server closes', async () => {
    const res = await fetch(`${base}/api/v1/live`, { headers });
    const sse = new SseReader(res.body!);
    await sse.next();
    await until(() => feed.listeners.size === 1, 'the subscription');
    await app.close();
    expect(await sse.next()).toBeUndefined();
    expect(feed.listeners.size).toBe(0);
  });
});
