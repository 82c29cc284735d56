import { describe, expect, it } from 'vitest';
import type { LiveSample } from '../api/types.js';
import { LiveStream, parseBatch, type EventSourceLike, type LinkStatus, type Timers } from './live-stream.js';

class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  readonly #listeners = new Map<string, (ev: MessageEvent<string>) => void>();

  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void {
    this.#listeners.set(type, listener);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  fail(readyState: 0 | 2): void {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }
  emit(type: string, data: string): void {
    this.#listeners.get(type)?.({ data } as MessageEvent<string>);
  }
}

const SILENCE_MS = 10_000;

class ManualTimers implements Timers {
  pending: { fn: () => void; ms: number }[] = [];
  setTimeout(fn: () => void, ms: number): unknown {
    const t = { fn, ms };
    this.pending.push(t);
    return t;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t !== handle);
  }
  /** Fires the pending retry (any timer but the silence watchdog) and returns its delay. */
  fireRetry(): number {
    const t = this.pending.find((p) => p.ms !== SILENCE_MS);
    if (t === undefined) throw new Error('no retry pending');
    this.clearTimeout(t);
    t.fn();
    return t.ms;
  }
  fireSilence(): void {
    const t = this.pending.find((p) => p.ms === SILENCE_MS);
    if (t === undefined) throw new Error('no watchdog pending');
    this.clearTimeout(t);
    t.fn();
  }
  retries(): number {
    return this.pending.filter((p) => p.ms !== SILENCE_MS).length;
  }
}

function setup() {
  const sources: FakeSource[] = [];
  const timers = new ManualTimers();
  const stream = new LiveStream({
    url: '/api/v1/live',
    connect: () => {
      const s = new FakeSource();
      sources.push(s);
      return s;
    },
    timers,
    initialRetryMs: 100,
    maxRetryMs: 250,
    silenceMs: SILENCE_MS,
  });
  const statuses: LinkStatus[] = [];
  const batches: LiveSample[][] = [];
  let resyncs = 0;
  stream.onStatus((s) => statuses.push(s));
  stream.onSamples((b) => batches.push(b));
  stream.onResync(() => resyncs++);
  stream.start();
  return { stream, sources, timers, statuses, batches, resyncs: () => resyncs };
}

describe('LiveStream', () => {
  it('reports live once open and delivers sample batches', () => {
    const t = setup();
    expect(t.stream.status).toBe('connecting');
    t.sources[0]!.open();
    t.sources[0]!.emit('samples', JSON.stringify([{ point: 'a.b.c.d', ts: 1, value: 2, quality: 'good' }]));
    expect(t.statuses).toEqual(['live']);
    expect(t.batches).toEqual([[{ point: 'a.b.c.d', ts: 1, value: 2, quality: 'good' }]]);
    expect(t.resyncs()).toBe(0);
  });

  it('lets the browser retry a dropped connection and asks for a resync when it is back', () => {
    const t = setup();
    t.sources[0]!.open();
    t.sources[0]!.fail(0);
    expect(t.stream.status).toBe('reconnecting');
    expect(t.timers.retries()).toBe(0);
    t.sources[0]!.open();
    expect(t.statuses).toEqual(['live', 'reconnecting', 'live']);
    expect(t.resyncs()).toBe(1);
    expect(t.sources).toHaveLength(1);
  });

  it('reopens a stream the browser gave up on, backing off up to the limit', () => {
    const t = setup();
    t.sources[0]!.fail(2);
    expect(t.sources[0]!.closed).toBe(true);
    expect(t.timers.fireRetry()).toBe(100);
    t.sources[1]!.fail(2);
    expect(t.timers.fireRetry()).toBe(200);
    t.sources[2]!.fail(2);
    expect(t.timers.fireRetry()).toBe(250);
    t.sources[3]!.open();
    expect(t.stream.status).toBe('live');
    expect(t.resyncs()).toBe(1);
    // A successful open resets the backoff.
    t.sources[3]!.fail(2);
    expect(t.timers.fireRetry()).toBe(100);
  });

  it('ignores events from a source it has replaced and stops retrying once closed', () => {
    const t = setup();
    const first = t.sources[0]!;
    first.fail(2);
    t.stream.close();
    expect(t.timers.pending).toHaveLength(0);
    first.emit('samples', JSON.stringify([{ point: 'a.b.c.d', ts: 1, value: 2, quality: 'good' }]));
    expect(t.batches).toHaveLength(0);
  });
});

describe('LiveStream watchdog', () => {
  it('reopens a stream that has gone silent, and stays quiet while events or heartbeats flow', () => {
    const t = setup();
    const first = t.sources[0]!;
    first.open();
    first.emit('samples', JSON.stringify([{ point: 'a.b.c.d', ts: 1, value: 2, quality: 'good' }]));
    first.emit('heartbeat', '');
    expect(t.timers.pending.filter((p) => p.ms === SILENCE_MS)).toHaveLength(1);
    t.timers.fireSilence();
    expect(first.closed).toBe(true);
    expect(t.sources).toHaveLength(2);
    expect(t.stream.status).toBe('reconnecting');
    t.sources[1]!.open();
    expect(t.stream.status).toBe('live');
    expect(t.resyncs()).toBe(1);
  });

  it('reconnects on request, but not while a retry is already pending', () => {
    const t = setup();
    t.sources[0]!.open();
    t.stream.reconnect();
    expect(t.sources).toHaveLength(2);
    t.sources[1]!.fail(2);
    t.stream.reconnect();
    expect(t.sources).toHaveLength(2);
    t.timers.fireRetry();
    expect(t.sources).toHaveLength(3);
  });
});

describe('parseBatch', () => {
  it('keeps well-formed elements and drops the rest', () => {
    const good = { point: 'a.b.c.d', ts: 5, value: true, quality: 'bad', reason: 'timeout' };
    expect(parseBatch(JSON.stringify([good, { point: 1 }, { ...good, quality: 'meh' }]))).toEqual([good]);
    expect(parseBatch('not json')).toEqual([]);
    expect(parseBatch('{"point":"x"}')).toEqual([]);
  });
});
