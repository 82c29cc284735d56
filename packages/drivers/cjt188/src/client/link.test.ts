import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { readDataRequest } from '../codec/messages.js';
import { Cjt188Errors } from '../errors.js';
import { Link } from './link.js';
import type { Connection, ConnectionEvents, Transport } from './transport.js';

/** A transport whose opens fail until told otherwise; records when each attempt happened. */
function fakeTransport(clock: FakeClock): Transport & {
  attempts: number[];
  up: boolean;
  drop(): void;
} {
  let events: ConnectionEvents | undefined;
  const t = {
    description: 'fake://dtu',
    attempts: [] as number[],
    up: false,
    open(ev: ConnectionEvents): Promise<Connection> {
      t.attempts.push(clock.now());
      if (!t.up) return Promise.reject(Cjt188Errors.DISCONNECTED.create(['fake://dtu', 'refused']));
      events = ev;
      return Promise.resolve({ write: () => undefined, close: () => Promise.resolve() });
    },
    drop() {
      events?.onClose(Cjt188Errors.DISCONNECTED.create(['fake://dtu', 'reset']));
    },
  };
  return t;
}

// The backoff schedule is tested with the shared ReconnectingLink in driver-sdk; this pins the
// CJ/T 188 error codes.
describe('Link', () => {
  it('fails requests at once while disconnected, and a pending one when the link drops', async () => {
    const clock = new FakeClock(0);
    const transport = fakeTransport(clock);
    const link = new Link({
      transport,
      clock,
      logger: silentLogger(),
      preamble: 0,
      backoffMinMs: 100,
      backoffMaxMs: 100,
    });
    await link.start();
    const req = readDataRequest(0x10, '00000000000001', 0);
    await expect(link.request(req, 1000)).rejects.toSatisfy((e) => Cjt188Errors.DISCONNECTED.is(e));
    transport.up = true;
    await clock.advance(100);
    const pending = link.request(req, 1000);
    transport.drop();
    await expect(pending).rejects.toSatisfy((e) => Cjt188Errors.DISCONNECTED.is(e));
    await link.close();
    await expect(link.request(req, 1000)).rejects.toSatisfy((e) => Cjt188Errors.CLOSED.is(e));
    expect(link.state).toBe('closed');
  });
});
