/**
 * The master link on a FakeClock over an in-memory transport: STARTDT on connect, t1 closing a
 * link whose STARTDT is never confirmed, and loss handling. The backoff schedule itself is
 * tested with the shared ReconnectingLink in driver-sdk.
 */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { ApduSplitter, U, decodeApdu, encodeU, type Apdu } from '../codec/apci.js';
import type { DecodedAsdu } from '../codec/asdu.js';
import { Iec104Errors } from '../errors.js';
import { MasterLink } from './master-link.js';
import type { Connection, ConnectionEvents, Transport } from './transport.js';

interface Peer {
  events: ConnectionEvents;
  received: Apdu[];
  closed: boolean;
  send(bytes: Uint8Array): void;
}

function fakeTransport() {
  const peers: Peer[] = [];
  let refuse = false;
  const transport: Transport = {
    description: 'mem://rtu',
    open(events) {
      if (refuse) return Promise.reject(Iec104Errors.DISCONNECTED.create(['mem://rtu', 'refused']));
      const peer: Peer = { events, received: [], closed: false, send: (b) => events.onData(b) };
      const splitter = new ApduSplitter((f) => peer.received.push(decodeApdu(f)));
      peers.push(peer);
      const conn: Connection = {
        write: (b) => splitter.push(b),
        close: () => {
          if (!peer.closed) {
            peer.closed = true;
            events.onClose();
          }
          return Promise.resolve();
        },
      };
      return Promise.resolve(conn);
    },
  };
  return {
    transport,
    peers,
    refuse: (v: boolean) => {
      refuse = v;
    },
  };
}

function setup() {
  const clock = new FakeClock();
  const t = fakeTransport();
  const log: string[] = [];
  const asdus: DecodedAsdu[] = [];
  const link = new MasterLink({
    transport: t.transport,
    clock,
    logger: silentLogger(),
    t1Ms: 1000,
    t2Ms: 500,
    t3Ms: 5000,
    k: 12,
    w: 8,
    backoffMinMs: 100,
    backoffMaxMs: 400,
    onAsdu: (a) => asdus.push(a),
    onStarted: () => log.push('started'),
    onLost: (e) => log.push(`lost ${(e as { code?: string }).code}`),
  });
  return { clock, link, log, asdus, ...t };
}

describe('master link', () => {
  it('is connected only once STARTDT is confirmed', async () => {
    const { link, peers, log } = setup();
    const started = link.start();
    await Promise.resolve();
    await Promise.resolve();
    expect(link.state).toBe('connecting');
    expect(peers[0]?.received).toEqual([{ format: 'U', fn: U.STARTDT_ACT }]);
    peers[0]?.send(encodeU(U.STARTDT_CON));
    await started;
    expect(link.state).toBe('connected');
    expect(log).toEqual(['started']);
  });

  it('closes a connection whose STARTDT is not confirmed within t1, then retries after backoff', async () => {
    const { clock, link, peers } = setup();
    const started = link.start();
    await clock.advance(1000);
    await started;
    expect(peers[0]?.closed).toBe(true);
    expect(link.state).toBe('backoff');
    expect(link.health().lastError?.code).toBe('WS_ERR_IEC104_T1_TIMEOUT');
    expect(link.health().stats.timeouts).toBe(1);
    await clock.advance(100);
    expect(peers).toHaveLength(2);
    peers[1]?.send(encodeU(U.STARTDT_CON));
    expect(link.state).toBe('connected');
    expect(link.health().stats.reconnects).toBe(1);
  });

  it('reports loss once, refuses sends while down, and closes idempotently', async () => {
    const { clock, link, peers, log } = setup();
    const started = link.start();
    await Promise.resolve();
    await Promise.resolve();
    peers[0]?.send(encodeU(U.STARTDT_CON));
    await started;
    // Garbage from the outstation: the stream is out of step, the link drops it (§5).
    peers[0]?.send(Uint8Array.of(0x00, 0x01, 0x02));
    expect(log).toEqual(['started', 'lost WS_ERR_IEC104_FRAME']);
    expect(peers[0]?.closed).toBe(true);
    expect(() =>
      link.send({ typeId: 100, cot: 6, commonAddress: 1, objects: [{ ioa: 0, value: 20 }] }),
    ).toThrow(expect.objectContaining({ code: 'WS_ERR_IEC104_DISCONNECTED' }));
    await Promise.all([link.close(), link.close()]);
    expect(link.state).toBe('closed');
    expect(clock.pending).toBe(0);
  });
});
