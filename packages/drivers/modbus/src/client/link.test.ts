import { describe, expect, it } from 'vitest';
import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { FC } from '../codec/pdu.js';
import { ModbusErrors } from '../errors.js';
import { mbapFraming } from './framing.js';
import { Link } from './link.js';
import type { Connection, ConnectionEvents, Transport } from './transport.js';

/** A transport whose device can be switched off and on; opening while off fails like a refused connect. */
class SwitchableTransport implements Transport {
  readonly description = 'mem://plc';
  up = false;
  opens: number[] = [];
  events: ConnectionEvents | undefined;
  constructor(readonly clock: FakeClock) {}

  open(events: ConnectionEvents): Promise<Connection> {
    this.opens.push(this.clock.now());
    if (!this.up) return Promise.reject(ModbusErrors.DISCONNECTED.create([this.description, 'ECONNREFUSED']));
    this.events = events;
    return Promise.resolve({ write: () => undefined, close: () => Promise.resolve() });
  }

  /** The device drops the connection. */
  drop(): void {
    this.events?.onClose(ModbusErrors.DISCONNECTED.create([this.description, 'reset']));
  }
}

function link(clock: FakeClock, transport: Transport): Link {
  return new Link({
    transport,
    framing: mbapFraming,
    clock,
    logger: silentLogger(),
    timeoutMs: 1000,
    maxInFlight: 1,
    backoffMinMs: 100,
    backoffMaxMs: 400,
  });
}

// The backoff schedule and health bookkeeping are tested with the shared link in driver-sdk;
// these tests pin what Modbus adds: its error codes and failing requests in flight.
describe('link', () => {
  it('rejects requests at once while not connected, and after close', async () => {
    const clock = new FakeClock(0);
    const l = link(clock, new SwitchableTransport(clock));
    const req = { fc: FC.READ_HOLDING_REGISTERS, address: 0, count: 1 } as const;
    await expect(l.request(1, req)).rejects.toMatchObject({ code: 'WS_ERR_MODBUS_DISCONNECTED' });
    await l.start();
    await expect(l.request(1, req)).rejects.toMatchObject({ code: 'WS_ERR_MODBUS_DISCONNECTED' });
    await l.close();
    await l.close();
    expect(l.state).toBe('closed');
    await expect(l.request(1, req)).rejects.toMatchObject({ code: 'WS_ERR_MODBUS_CLOSED' });
  });

  it('fails requests in flight when the connection drops', async () => {
    const clock = new FakeClock(0);
    const t = new SwitchableTransport(clock);
    t.up = true;
    const l = link(clock, t);
    await l.start();
    const p = l.request(1, { fc: FC.READ_COILS, address: 0, count: 8 });
    t.drop();
    await expect(p).rejects.toMatchObject({ code: 'WS_ERR_MODBUS_DISCONNECTED' });
    expect(l.health().stats).toMatchObject({ requests: 1, failures: 1, timeouts: 0 });
    await l.close();
  });
});
