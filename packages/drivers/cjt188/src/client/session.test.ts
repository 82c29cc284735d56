import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, type Frame } from '../codec/frame.js';
import { answer, readDataRequest } from '../codec/messages.js';
import { Cjt188Errors } from '../errors.js';
import { MeterGuard } from './meter-guard.js';
import { BusSession } from './session.js';

const A = '00000000000001';
const B = '00000000000002';

function setup(): { clock: FakeClock; sent: Frame[]; session: BusSession } {
  const clock = new FakeClock();
  const sent: Frame[] = [];
  const session = new BusSession({
    clock,
    preamble: 2,
    send: (bytes) => {
      expect([...bytes.subarray(0, 2)]).toEqual([0xfe, 0xfe]);
      sent.push(decodeFrame(bytes.subarray(2)) as Frame);
    },
  });
  return { clock, sent, session };
}

const reply = (req: Frame, payload = Uint8Array.of(1, 2)): Uint8Array => encodeFrame(answer(req, payload), 3);

describe('BusSession', () => {
  it('keeps one request on the bus at a time, in order', async () => {
    const { sent, session } = setup();
    const pa = session.exchange(readDataRequest(0x10, A, 0), 1000);
    const pb = session.exchange(readDataRequest(0x10, B, 0), 1000);
    expect(sent.map((f) => f.address)).toEqual([A]);
    expect(session.queued).toBe(1);
    session.onData(reply(sent[0]!));
    expect((await pa).frame.address).toBe(A);
    expect(sent.map((f) => f.address)).toEqual([A, B]);
    session.onData(reply(sent[1]!));
    expect((await pb).frame.address).toBe(B);
    expect(sent[1]!.ser).toBe((sent[0]!.ser + 1) & 0xff);
  });

  it('times a silent meter out and moves on to the next without further delay', async () => {
    const { clock, sent, session } = setup();
    const pa = session.exchange(readDataRequest(0x10, A, 0), 500);
    const pb = session.exchange(readDataRequest(0x10, B, 0), 500);
    const failed = expect(pa).rejects.toSatisfy((e) => Cjt188Errors.TIMEOUT.is(e));
    await clock.advance(499);
    expect(sent).toHaveLength(1);
    await clock.advance(1);
    await failed;
    expect(sent.map((f) => f.address)).toEqual([A, B]);
    // A's answer arriving late (its SER) is not taken for B's.
    session.onData(reply(sent[0]!));
    session.onData(reply(sent[1]!));
    expect((await pb).frame.ser).toBe(sent[1]!.ser);
  });

  it('ignores echoes, other addresses and wrong DIs', async () => {
    const { sent, session } = setup();
    const p = session.exchange(readDataRequest(0x10, A, 0), 1000);
    const req = sent[0]!;
    session.onData(encodeFrame(req)); // echo of our own request: no response bit
    session.onData(encodeFrame(answer({ ...req, address: B }, new Uint8Array(0))));
    session.onData(encodeFrame(answer({ ...req, di: 0x8103 }, new Uint8Array(0))));
    expect(session.busy).toBe(true);
    session.onData(reply(req));
    expect((await p).frame.address).toBe(A);
  });

  it('settles an aborted request and frees the bus', async () => {
    const { sent, session } = setup();
    const ac = new AbortController();
    const pa = session.exchange(readDataRequest(0x10, A, 0), 1000, ac.signal);
    const pb = session.exchange(readDataRequest(0x10, B, 0), 1000);
    ac.abort(new Error('caller gave up'));
    await expect(pa).rejects.toThrow('caller gave up');
    expect(sent.map((f) => f.address)).toEqual([A, B]);
    session.onData(reply(sent[1]!));
    await pb;
  });

  it('fails everything pending and later when the connection goes', async () => {
    const { session } = setup();
    const gone = Cjt188Errors.DISCONNECTED.create(['x', 'lost']);
    const pa = session.exchange(readDataRequest(0x10, A, 0), 1000);
    const pb = session.exchange(readDataRequest(0x10, B, 0), 1000);
    session.fail(gone);
    await expect(pa).rejects.toBe(gone);
    await expect(pb).rejects.toBe(gone);
    await expect(session.exchange(readDataRequest(0x10, A, 0), 1000)).rejects.toBe(gone);
  });
});

describe('MeterGuard', () => {
  const timeout = (): Error => Cjt188Errors.TIMEOUT.create([A, 100]);
  const policy = { retries: 1, failThreshold: 2, suspendMinMs: 1000, suspendMaxMs: 3000 };

  it('retries timeouts of reads, not of writes', async () => {
    const guard = new MeterGuard(policy, new FakeClock());
    let calls = 0;
    const attempt = (): Promise<number> => (++calls === 1 ? Promise.reject(timeout()) : Promise.resolve(7));
    expect(await guard.run(A, attempt, true)).toBe(7);
    expect(calls).toBe(2);
    calls = 0;
    await expect(guard.run(A, attempt, false)).rejects.toSatisfy((e) => Cjt188Errors.TIMEOUT.is(e));
  });

  it('suspends a meter that keeps failing, with a growing period, and clears it on an answer', async () => {
    const clock = new FakeClock();
    const guard = new MeterGuard(policy, clock);
    let calls = 0;
    const dead = (): Promise<number> => {
      calls++;
      return Promise.reject(timeout());
    };
    await expect(guard.run(A, dead, true)).rejects.toThrow(); // 2 attempts, failure 1
    await expect(guard.run(A, dead, true)).rejects.toThrow(); // failure 2 → suspended 1 s
    expect(calls).toBe(4);
    expect(guard.suspended(A)).toBe(true);
    expect(guard.suspended(B)).toBe(false);
    await expect(guard.run(A, dead, true)).rejects.toSatisfy((e) => Cjt188Errors.METER_SUSPENDED.is(e));
    expect(calls).toBe(4);
    await clock.advance(1000);
    await expect(guard.run(A, dead, true)).rejects.toThrow(); // probe fails → suspended 2 s
    expect(guard.suspended(A)).toBe(true);
    await clock.advance(1999);
    expect(guard.suspended(A)).toBe(true);
    await clock.advance(1);
    expect(await guard.run(A, () => Promise.resolve(1), true)).toBe(1);
    expect(guard.suspended(A)).toBe(false);
  });

  it('does not count a lost connection against the meter', async () => {
    const guard = new MeterGuard({ ...policy, failThreshold: 1 }, new FakeClock());
    const lost = (): Promise<never> => Promise.reject(Cjt188Errors.DISCONNECTED.create(['x', 'y']));
    await expect(guard.run(A, lost, true)).rejects.toThrow();
    expect(guard.suspended(A)).toBe(false);
  });
});
