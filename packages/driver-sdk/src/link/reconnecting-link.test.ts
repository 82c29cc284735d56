import { describe, expect, it } from 'vitest';
import { defineError, silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import type { Connection, ConnectionEvents, Transport } from '../transport/transport.js';
import { ReconnectingLink, type SessionControl } from './reconnecting-link.js';

const E = {
  DISCONNECTED: defineError('WS_ERR_TEST_DISCONNECTED', 503, 'not connected to %s: %s'),
  CLOSED: defineError('WS_ERR_TEST_CLOSED', 503, 'test %s is closed'),
  TIMEOUT: defineError('WS_ERR_TEST_TIMEOUT', 504, 'no answer'),
  FRAME: defineError('WS_ERR_TEST_FRAME', 502, 'bad frame'),
};

/** A transport whose device can be switched off and on; opening while off fails like a refused connect. */
class SwitchableTransport implements Transport {
  readonly description = 'mem://dev';
  up = false;
  opens: number[] = [];
  closes = 0;
  events: ConnectionEvents | undefined;
  constructor(readonly clock: FakeClock) {}

  open(events: ConnectionEvents): Promise<Connection> {
    this.opens.push(this.clock.now());
    if (!this.up) return Promise.reject(E.DISCONNECTED.create([this.description, 'ECONNREFUSED']));
    this.events = events;
    return Promise.resolve({
      write: () => undefined,
      close: () => {
        this.closes++;
        return Promise.resolve();
      },
    });
  }

  drop(): void {
    this.events?.onClose(E.DISCONNECTED.create([this.description, 'reset']));
  }
}

/** A session that records what the link tells it. */
interface FakeSession {
  control: SessionControl;
  data: number[];
  disposed?: { code: unknown; wasConnected: boolean };
}

function link(clock: FakeClock, transport: Transport, connectedOn: 'open' | 'ready' = 'open') {
  const sessions: FakeSession[] = [];
  const l = new ReconnectingLink<FakeSession>({
    name: 'Test',
    transport,
    clock,
    logger: silentLogger(),
    backoffMinMs: 100,
    backoffMaxMs: 400,
    connectedOn,
    errors: {
      disconnected: (d, why, cause) => E.DISCONNECTED.create([d, why], undefined, cause),
      closed: () => E.CLOSED.create(['link']),
      isTimeout: (err) => E.TIMEOUT.is(err),
    },
    session: {
      create: (_conn, control) => {
        const s: FakeSession = { control, data: [] };
        sessions.push(s);
        return s;
      },
      onData: (s, chunk) => s.data.push(...chunk),
      dispose: (s, err, wasConnected) => {
        s.disposed = { code: (err as { code?: unknown }).code, wasConnected };
      },
    },
  });
  return { l, sessions };
}

describe('ReconnectingLink', () => {
  it('retries with capped exponential backoff until the device answers, then resets the backoff', async () => {
    const clock = new FakeClock(0);
    const t = new SwitchableTransport(clock);
    const { l } = link(clock, t);
    await l.start();
    expect(l.health()).toMatchObject({
      state: 'backoff',
      since: 0,
      lastError: { code: 'WS_ERR_TEST_DISCONNECTED' },
    });
    await clock.advance(1500);
    // Attempts at 0, then +100, +200, +400, +400 …
    expect(t.opens).toEqual([0, 100, 300, 700, 1100, 1500]);
    t.up = true;
    await clock.advance(400);
    expect(l.state).toBe('connected');
    expect(l.health().stats.reconnects).toBe(6);

    t.up = false;
    t.drop();
    expect(l.state).toBe('backoff');
    const lostAt = clock.now();
    await clock.advance(100);
    expect(t.opens.at(-1)).toBe(lostAt + 100); // backoff starts again from the minimum
    await l.close();
    expect(clock.pending).toBe(0);
  });

  it("fails requests at once while not connected and after close, in the driver's errors", async () => {
    const clock = new FakeClock(0);
    const { l } = link(clock, new SwitchableTransport(clock));
    const run = () => Promise.resolve({ rttMs: 1 });
    await expect(l.exchange(run)).rejects.toMatchObject({ code: 'WS_ERR_TEST_DISCONNECTED' });
    await l.start();
    await expect(l.exchange(run)).rejects.toMatchObject({
      code: 'WS_ERR_TEST_DISCONNECTED',
      message: 'not connected to mem://dev: not connected to mem://dev: ECONNREFUSED',
    });
    await l.close();
    await l.close();
    expect(l.state).toBe('closed');
    await expect(l.exchange(run)).rejects.toMatchObject({ code: 'WS_ERR_TEST_CLOSED' });
    expect(l.health().stats.requests).toBe(0);
  });

  it('books requests, round trips, failures and timeouts, but not requests the caller aborted', async () => {
    const clock = new FakeClock(0);
    const t = new SwitchableTransport(clock);
    t.up = true;
    const { l, sessions } = link(clock, t);
    await l.start();
    t.events?.onData(Uint8Array.of(7, 8));
    expect(sessions[0]?.data).toEqual([7, 8]);
    await l.exchange(() => Promise.resolve({ rttMs: 12 }));
    await expect(l.exchange(() => Promise.reject(E.TIMEOUT.create([])))).rejects.toThrow();
    const ac = new AbortController();
    ac.abort();
    await expect(l.exchange(() => Promise.reject(new Error('aborted')), ac.signal)).rejects.toThrow();
    expect(l.health()).toMatchObject({
      state: 'connected',
      lastError: { code: 'WS_ERR_TEST_TIMEOUT' },
      stats: { requests: 3, failures: 1, timeouts: 1, lastRttMs: 12 },
    });
    await l.close();
    expect(sessions[0]?.disposed).toEqual({ code: 'WS_ERR_TEST_CLOSED', wasConnected: true });
  });

  it('with connectedOn "ready" connects only when the session says so, and reconnects on drop', async () => {
    const clock = new FakeClock(0);
    const t = new SwitchableTransport(clock);
    t.up = true;
    const { l, sessions } = link(clock, t, 'ready');
    const started = l.start();
    await clock.advance(0);
    expect(l.state).toBe('connecting');
    sessions[0]?.control.ready();
    await started;
    expect(l.state).toBe('connected');

    sessions[0]?.control.drop(E.FRAME.create([]), true);
    expect(sessions[0]?.disposed).toEqual({ code: 'WS_ERR_TEST_FRAME', wasConnected: true });
    expect(t.closes).toBe(1);
    expect(l.health()).toMatchObject({
      state: 'backoff',
      lastError: { code: 'WS_ERR_TEST_FRAME' },
      stats: { timeouts: 1 },
    });
    // A stale session's word counts for nothing.
    sessions[0]?.control.drop(E.FRAME.create([]));
    sessions[0]?.control.ready();
    expect(l.state).toBe('backoff');

    await clock.advance(100);
    expect(l.state).toBe('connecting');
    sessions[1]?.control.ready();
    expect(l.state).toBe('connected');
    await l.close();
    expect(clock.pending).toBe(0);
  });
});
