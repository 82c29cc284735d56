import { describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import { encodeMbap, MbapSplitter } from '../codec/mbap.js';
import { encodeRtu } from '../codec/rtu.js';
import { FC, encodeResponse, type Response } from '../codec/pdu.js';
import { mbapFraming, rtuFraming, type Framing } from './framing.js';
import { ClientSession } from './session.js';

const read = (address: number, count = 1) => ({ fc: FC.READ_HOLDING_REGISTERS, address, count }) as const;
const regs = (...v: number[]): Response => ({
  fc: FC.READ_HOLDING_REGISTERS,
  registers: Uint16Array.from(v),
});

function setup(framing: Framing = mbapFraming, maxInFlight = 1) {
  const clock = new FakeClock();
  const sent: { tid: number; unit: number }[] = [];
  const rawSent: Uint8Array[] = [];
  const protocolErrors: Error[] = [];
  const splitter = new MbapSplitter((f) => sent.push({ tid: f.transactionId, unit: f.unitId }));
  const session = new ClientSession({
    framing,
    clock,
    timeoutMs: 1000,
    maxInFlight,
    send: (b) => {
      rawSent.push(b);
      if (framing === mbapFraming) splitter.push(b);
    },
    onProtocolError: (e) => protocolErrors.push(e),
  });
  const answer = (tid: number, unit: number, res: Response): void =>
    session.onData(encodeMbap(tid, unit, encodeResponse(res)));
  return { clock, sent, rawSent, session, answer, protocolErrors };
}

describe('client session', () => {
  it('keeps at most maxInFlight requests on the wire and matches responses by transaction id', async () => {
    const { sent, session, answer } = setup(mbapFraming, 2);
    const p1 = session.request(1, read(0));
    const p2 = session.request(1, read(1));
    const p3 = session.request(1, read(2));
    expect(sent.map((s) => s.tid)).toEqual([1, 2]);
    answer(2, 1, regs(22));
    await expect(p2).resolves.toMatchObject({ response: { registers: Uint16Array.of(22) } });
    expect(sent.map((s) => s.tid)).toEqual([1, 2, 3]);
    answer(1, 1, regs(11));
    answer(3, 1, regs(33));
    await expect(p1).resolves.toMatchObject({ response: { registers: Uint16Array.of(11) } });
    await expect(p3).resolves.toMatchObject({ response: { registers: Uint16Array.of(33) } });
  });

  it('times out on the injected clock, ignores the late answer and moves on', async () => {
    const { clock, sent, session, answer } = setup();
    const p1 = session.request(7, read(0));
    const p2 = session.request(7, read(1));
    const r1 = expect(p1).rejects.toMatchObject({ code: 'WS_ERR_MODBUS_TIMEOUT' });
    await clock.advance(999);
    expect(sent).toHaveLength(1);
    await clock.advance(1);
    await r1;
    expect(sent).toHaveLength(2);
    answer(1, 7, regs(1)); // late answer to the timed-out request
    answer(2, 7, regs(2));
    await expect(p2).resolves.toMatchObject({ response: { registers: Uint16Array.of(2) } });
    expect(clock.pending).toBe(0);
  });

  it('turns an exception response into WS_ERR_MODBUS_EXCEPTION with the code', async () => {
    const { session, answer } = setup();
    const p = session.request(1, read(9000));
    answer(1, 1, { fc: 3, exception: 2 });
    await expect(p).rejects.toMatchObject({ code: 'WS_ERR_MODBUS_EXCEPTION', details: { exceptionCode: 2 } });
  });

  it('fails everything pending and queued when the connection goes', async () => {
    const { session, clock } = setup();
    const all = [session.request(1, read(0)), session.request(1, read(1))];
    session.fail(new Error('gone'));
    for (const p of all) await expect(p).rejects.toThrow('gone');
    await expect(session.request(1, read(0))).rejects.toThrow('gone');
    expect(clock.pending).toBe(0);
  });

  it('honours AbortSignal for queued and in-flight requests', async () => {
    const { session, sent, clock } = setup();
    const ac = new AbortController();
    const p1 = session.request(1, read(0), ac.signal);
    const p2 = session.request(1, read(1), ac.signal);
    ac.abort(new Error('cancelled'));
    await expect(p1).rejects.toThrow('cancelled');
    await expect(p2).rejects.toThrow('cancelled');
    expect(sent).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('reports a stream out of step instead of guessing', () => {
    const { session, protocolErrors } = setup();
    session.onData(Uint8Array.from([0, 1, 0, 9, 0, 6, 1]));
    expect(protocolErrors[0]).toMatchObject({ code: 'WS_ERR_MODBUS_FRAME' });
  });

  it('RTU framing: one request at a time, matched by order; stray frames are dropped', async () => {
    const { session, rawSent } = setup(rtuFraming, 8);
    const p1 = session.request(1, read(0));
    const p2 = session.request(2, read(0));
    expect(rawSent).toHaveLength(1);
    session.onData(encodeRtu(9, encodeResponse(regs(99)))); // another unit's late answer
    session.onData(encodeRtu(1, encodeResponse(regs(10))));
    await expect(p1).resolves.toMatchObject({ response: { registers: Uint16Array.of(10) } });
    expect(rawSent).toHaveLength(2);
    session.onData(encodeRtu(2, encodeResponse(regs(20))));
    await expect(p2).resolves.toMatchObject({ response: { registers: Uint16Array.of(20) } });
  });
});
