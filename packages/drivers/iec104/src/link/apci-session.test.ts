import { describe, expect, it } from 'vitest';
import type { WatershedError } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { U, decodeApdu, encodeI, encodeS, encodeU, type Apdu } from '../codec/apci.js';
import { ApciSession, type ApciRole } from './apci-session.js';

const T = { t1Ms: 15_000, t2Ms: 10_000, t3Ms: 20_000, k: 12, w: 8 };
const asdu = (n: number) => Uint8Array.of(0x64, 0x01, 0x06, 0x00, 0x01, 0x00, 0, 0, 0, n);

function setup(role: ApciRole = 'controlling', timers: Partial<typeof T> = {}) {
  const clock = new FakeClock();
  const out: Apdu[] = [];
  const received: number[] = [];
  const failures: WatershedError[] = [];
  let started = 0;
  let stopped = 0;
  const session = new ApciSession({
    ...T,
    ...timers,
    role,
    clock,
    send: (b) => out.push(decodeApdu(b)),
    onAsdu: (a) => received.push(a[9] ?? -1),
    onStarted: () => started++,
    onStopped: () => stopped++,
    onFail: (e) => failures.push(e),
  });
  const take = () => out.splice(0, out.length);
  const startTransfer = () => {
    session.start();
    session.onData(encodeU(U.STARTDT_CON));
    take();
  };
  return { clock, session, take, received, failures, startTransfer, counts: () => ({ started, stopped }) };
}

describe('APCI session, controlling station (IEC 60870-5-104 §5.3, §6.9)', () => {
  it('sends STARTDT act, holds ASDUs until STARTDT con, then numbers I-frames from 0', () => {
    const { session, take, counts } = setup();
    session.sendAsdu(asdu(1));
    session.start();
    expect(take()).toEqual([{ format: 'U', fn: U.STARTDT_ACT }]);
    expect(session.queued).toBe(1);
    session.onData(encodeU(U.STARTDT_CON));
    expect(session.state).toBe('started');
    expect(counts().started).toBe(1);
    expect(take()).toEqual([{ format: 'I', ns: 0, nr: 0, asdu: asdu(1) }]);
  });

  it('closes the link when STARTDT con does not come within t1', async () => {
    const { clock, session, failures } = setup();
    session.start();
    await clock.advance(14_999);
    expect(failures).toHaveLength(0);
    await clock.advance(1);
    expect(failures.map((e) => e.code)).toEqual(['WS_ERR_IEC104_T1_TIMEOUT']);
    expect(failures[0]?.message).toMatch(/STARTDT_ACT/);
    expect(clock.pending).toBe(0);
  });

  it('closes the link when a sent I-frame is not acknowledged within t1', async () => {
    const { clock, session, failures, startTransfer } = setup();
    startTransfer();
    session.sendAsdu(asdu(1));
    await clock.advance(10_000);
    session.sendAsdu(asdu(2));
    // Acknowledging the first restarts t1 for the second, sent 10 s later.
    session.onData(encodeS(1));
    await clock.advance(14_999);
    expect(failures).toHaveLength(0);
    await clock.advance(1);
    expect(failures.map((e) => e.code)).toEqual(['WS_ERR_IEC104_T1_TIMEOUT']);
  });

  it('sends TESTFR act after t3 of silence and closes if its con does not come within t1', async () => {
    const { clock, session, take, failures, startTransfer } = setup();
    startTransfer();
    await clock.advance(19_000);
    session.onData(encodeS(0));
    await clock.advance(19_999);
    expect(take()).toEqual([]);
    await clock.advance(1);
    expect(take()).toEqual([{ format: 'U', fn: U.TESTFR_ACT }]);
    session.onData(encodeU(U.TESTFR_CON));
    await clock.advance(20_000);
    expect(take()).toEqual([{ format: 'U', fn: U.TESTFR_ACT }]);
    expect(session.stats.testFrames).toBe(2);
    await clock.advance(15_000);
    expect(failures.map((e) => e.code)).toEqual(['WS_ERR_IEC104_T1_TIMEOUT']);
  });

  it('does not spin on t3 while an act is pending with t1 longer than t3', async () => {
    const { clock, session, take, failures } = setup('controlling', { t1Ms: 30_000, t3Ms: 1000 });
    session.start();
    take();
    await clock.advance(29_999);
    expect(take()).toEqual([]);
    expect(session.stats.testFrames).toBe(0);
    expect(clock.pending).toBe(2);
    await clock.advance(1);
    expect(failures.map((e) => e.code)).toEqual(['WS_ERR_IEC104_T1_TIMEOUT']);
  });

  it('acknowledges after w I-frames with an S-frame, or after t2 for fewer', async () => {
    const { clock, session, take, received, startTransfer } = setup();
    startTransfer();
    for (let i = 0; i < 8; i++) session.onData(encodeI(i, 0, asdu(i)));
    expect(received).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(take()).toEqual([{ format: 'S', nr: 8 }]);
    session.onData(encodeI(8, 0, asdu(8)));
    await clock.advance(9_999);
    expect(take()).toEqual([]);
    await clock.advance(1);
    expect(take()).toEqual([{ format: 'S', nr: 9 }]);
  });

  it('acknowledges received frames with N(R) of its own I-frames instead of an S-frame', async () => {
    const { clock, session, take, startTransfer } = setup();
    startTransfer();
    session.onData(encodeI(0, 0, asdu(0)));
    session.sendAsdu(asdu(9));
    expect(take()).toEqual([{ format: 'I', ns: 0, nr: 1, asdu: asdu(9) }]);
    await clock.advance(10_000);
    expect(take()).toEqual([]);
  });

  it('keeps at most k I-frames unacknowledged and sends the rest as acknowledgements arrive', () => {
    const { session, take, startTransfer } = setup('controlling', { k: 3 });
    startTransfer();
    for (let i = 0; i < 5; i++) session.sendAsdu(asdu(i));
    expect(take().map((f) => (f.format === 'I' ? f.ns : -1))).toEqual([0, 1, 2]);
    expect(session.unacknowledged).toBe(3);
    expect(session.queued).toBe(2);
    session.onData(encodeS(1));
    expect(take().map((f) => (f.format === 'I' ? f.ns : -1))).toEqual([3]);
    session.onData(encodeS(4));
    expect(take().map((f) => (f.format === 'I' ? f.ns : -1))).toEqual([4]);
    expect(session.queued).toBe(0);
  });

  it('closes the link on a wrong N(S) or an N(R) for frames never sent (§5.1)', () => {
    const a = setup();
    a.startTransfer();
    a.session.onData(encodeI(0, 0, asdu(0)));
    a.session.onData(encodeI(2, 0, asdu(2)));
    expect(a.failures.map((e) => e.code)).toEqual(['WS_ERR_IEC104_SEQUENCE']);
    expect(a.failures[0]?.message).toMatch(/N\(S\) 2, expected 1/);
    a.session.onData(encodeI(1, 0, asdu(1)));
    expect(a.received).toEqual([0]);

    const b = setup();
    b.startTransfer();
    b.session.sendAsdu(asdu(0));
    b.session.onData(encodeS(2));
    expect(b.failures.map((e) => e.code)).toEqual(['WS_ERR_IEC104_SEQUENCE']);
  });

  it('wraps sequence numbers modulo 32768', () => {
    const { session, take, startTransfer } = setup('controlling', { w: 100_000, k: 32767 });
    startTransfer();
    for (let i = 0; i < 32770; i++) session.onData(encodeI(i % 32768, 0, asdu(0)));
    session.sendAsdu(asdu(1));
    expect(take()).toEqual([{ format: 'I', ns: 0, nr: 2, asdu: asdu(1) }]);
  });

  it('closes on garbage in the stream', () => {
    const { session, failures } = setup();
    session.onData(Uint8Array.of(0x10, 0x5b, 0x01));
    expect(failures.map((e) => e.code)).toEqual(['WS_ERR_IEC104_FRAME']);
  });

  it('STOPDT: stops after con and holds further ASDUs', () => {
    const { session, take, counts, startTransfer } = setup();
    startTransfer();
    session.onData(encodeI(0, 0, asdu(0)));
    session.stop();
    expect(take()).toEqual([
      { format: 'S', nr: 1 },
      { format: 'U', fn: U.STOPDT_ACT },
    ]);
    session.onData(encodeU(U.STOPDT_CON));
    expect(session.state).toBe('stopped');
    expect(counts().stopped).toBe(1);
    session.sendAsdu(asdu(1));
    expect(take()).toEqual([]);
  });
});

describe('APCI session, controlled station', () => {
  it('confirms STARTDT and TESTFR, and refuses I-frames before STARTDT', () => {
    const { session, take, failures, counts } = setup('controlled');
    session.onData(encodeU(U.TESTFR_ACT));
    session.onData(encodeU(U.STARTDT_ACT));
    expect(take()).toEqual([
      { format: 'U', fn: U.TESTFR_CON },
      { format: 'U', fn: U.STARTDT_CON },
    ]);
    expect(counts().started).toBe(1);

    const early = setup('controlled');
    early.session.onData(encodeI(0, 0, asdu(0)));
    expect(early.failures.map((e) => e.code)).toEqual(['WS_ERR_IEC104_SEQUENCE']);
    expect(failures).toHaveLength(0);
  });

  it('confirms STOPDT only once its own I-frames are acknowledged (§5.3)', () => {
    const { session, take, counts } = setup('controlled');
    session.onData(encodeU(U.STARTDT_ACT));
    session.sendAsdu(asdu(1));
    take();
    session.onData(encodeU(U.STOPDT_ACT));
    expect(take()).toEqual([]);
    session.onData(encodeS(1));
    expect(take()).toEqual([{ format: 'U', fn: U.STOPDT_CON }]);
    expect(counts().stopped).toBe(1);
  });

  it('rejects a STARTDT con it never asked for', () => {
    const { session, failures } = setup('controlled');
    session.onData(encodeU(U.STARTDT_CON));
    expect(failures.map((e) => e.code)).toEqual(['WS_ERR_IEC104_SEQUENCE']);
  });
});

describe('APCI session queue', () => {
  it('keeps order across a long backlog and drops the oldest beyond maxQueue', () => {
    const clock = new FakeClock();
    const sent: number[] = [];
    const s = new ApciSession({
      ...T,
      k: 32767,
      role: 'controlled',
      clock,
      maxQueue: 3000,
      send: (b) => {
        const f = decodeApdu(b);
        if (f.format === 'I') sent.push(((f.asdu[8] ?? 0) << 8) | (f.asdu[9] ?? 0));
      },
      onAsdu: () => undefined,
      onFail: () => undefined,
    });
    for (let i = 0; i < 3500; i++) s.sendAsdu(Uint8Array.of(0x64, 1, 6, 0, 1, 0, 0, 0, i >> 8, i & 0xff));
    expect(s.queued).toBe(3000);
    expect(s.stats.dropped).toBe(500);
    s.onData(encodeU(U.STARTDT_ACT));
    expect(sent).toHaveLength(3000);
    expect(sent[0]).toBe(500);
    expect(sent.every((v, i) => v === 500 + i)).toBe(true);
    expect(s.queued).toBe(0);
    s.dispose();
  });
});
