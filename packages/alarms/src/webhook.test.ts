import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, waitFor } from '@watershed/common/testing';
import type { AlarmEvent, AlarmState } from './state.js';
import { WebhookNotifier } from './webhook.js';

const alarm: AlarmState = {
  id: 'turb-high',
  project: 'city',
  point: 'north.plc1.quality.turbidity',
  name: 'Turbidity high',
  severity: 'critical',
  message: 'Turbidity high: above 1',
  active: true,
  acknowledged: false,
  changedAt: 1,
  comments: [],
};
const event = (n: number): AlarmEvent => ({
  alarm: 'turb-high',
  project: 'city',
  point: alarm.point,
  kind: 'raised',
  at: n,
  severity: 'critical',
  state: 'unack-active',
  value: n,
  announce: true,
});

/** A real receiver on 127.0.0.1: answers with the statuses given, in turn, then 200. */
async function receiver(statuses: number[] = []) {
  const bodies: unknown[] = [];
  let calls = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses[calls++] ?? 200;
      if (status === 200) bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, bodies, calls: () => calls, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('WebhookNotifier', () => {
  it('POSTs the event and the alarm as JSON, in order', async () => {
    const rx = await receiver();
    cleanups.push(rx.close);
    const n = new WebhookNotifier({ url: rx.url, clock: new FakeClock() });
    cleanups.push(() => n.close());
    n.notify(event(1), alarm);
    n.notify(event(2), alarm);
    await n.drained();
    expect(rx.bodies).toEqual([
      { event: event(1), alarm },
      { event: event(2), alarm },
    ]);
    expect(n.stats()).toEqual({ accepted: 2, queued: 0, inflight: 0, sent: 2, failed: 0, dropped: 0 });
  });

  it('retries 5xx with exponential backoff on the clock, and gives up on 4xx', async () => {
    const rx = await receiver([500, 503, 200, 400]);
    cleanups.push(rx.close);
    const clock = new FakeClock();
    const n = new WebhookNotifier({ url: rx.url, clock, backoff: { initialMs: 1000, maxMs: 1500 } });
    cleanups.push(() => n.close());
    n.notify(event(1), alarm);
    n.notify(event(2), alarm);
    // Step the fake clock until the receiver sees the next call; the fake time taken is the backoff.
    const until = async (calls: number): Promise<number> => {
      const from = clock.now();
      await waitFor(async () => {
        if (rx.calls() >= calls) return true;
        await clock.advance(100);
        return false;
      });
      return clock.now() - from;
    };
    await until(1);
    const first = await until(2);
    const second = await until(3);
    expect(first).toBeGreaterThanOrEqual(1000);
    expect(first).toBeLessThan(1400);
    expect(second).toBeGreaterThanOrEqual(1500); // doubled to 2000, capped at maxMs
    expect(second).toBeLessThan(1900);
    await n.drained();
    expect(rx.calls()).toBe(4);
    expect(rx.bodies).toEqual([{ event: event(1), alarm }]);
    expect(n.stats()).toMatchObject({ accepted: 2, sent: 1, failed: 1, dropped: 0, queued: 0 });
  });

  it('bounds the queue, dropping the oldest and counting it; close drops what is left', async () => {
    const rx = await receiver([500, 500, 500]);
    cleanups.push(rx.close);
    const clock = new FakeClock();
    const n = new WebhookNotifier({ url: rx.url, clock, maxQueue: 2, maxAttempts: 3 });
    for (let i = 1; i <= 5; i++) n.notify(event(i), alarm);
    await waitFor(() => rx.calls() === 1);
    // One in flight, two queued (4 and 5); 2 and 3 were pushed out.
    expect(n.stats()).toMatchObject({ accepted: 5, inflight: 1, queued: 2, dropped: 2 });
    await n.close();
    const s = n.stats();
    expect(s).toMatchObject({ sent: 0, queued: 0, inflight: 0, dropped: 5 });
    expect(s.queued + s.inflight + s.sent + s.failed + s.dropped).toBe(s.accepted);
    expect(() => n.notify(event(6), alarm)).toThrow(
      expect.objectContaining({ code: 'WS_ERR_ALARM_NOTIFIER_CLOSED' }),
    );
  });

  it('an unreachable receiver is retried, then counted as failed', async () => {
    const rx = await receiver();
    await rx.close(); // nothing listens on that port now
    const clock = new FakeClock();
    const n = new WebhookNotifier({
      url: rx.url,
      clock,
      maxAttempts: 2,
      backoff: { initialMs: 10, maxMs: 10 },
    });
    cleanups.push(() => n.close());
    n.notify(event(1), alarm);
    await waitFor(async () => {
      await clock.advance(10);
      return n.stats().failed === 1;
    });
    expect(n.stats()).toMatchObject({ accepted: 1, failed: 1, sent: 0 });
  });

  it('as an engine listener sends only announced events', async () => {
    const rx = await receiver();
    cleanups.push(rx.close);
    const n = new WebhookNotifier({ url: rx.url, clock: new FakeClock() });
    cleanups.push(() => n.close());
    n.listener({ ...event(1), announce: false }, alarm);
    n.listener(event(2), alarm);
    await n.drained();
    expect(rx.bodies).toHaveLength(1);
  });
});
