import { FakeClock } from '@watershed/common/testing';
import { describe, expect, it } from 'vitest';
import { decodeTpdu, encodeCc, encodeDt } from '../codec/cotp.js';
import { decodePdu, encodePdu, encodeSetup, ROSCTR } from '../codec/s7comm.js';
import { encodeTpkt, TpktSplitter } from '../codec/tpkt.js';
import { S7Session } from './session.js';

/** A session wired to a recorder standing in for the PLC. */
function harness() {
  const clock = new FakeClock(0);
  const sent: Uint8Array[] = [];
  const splitter = new TpktSplitter();
  const events: { ready?: number; fail?: { code: unknown; timedOut: boolean } } = {};
  const session = new S7Session({
    clock,
    send: (b) => sent.push(...splitter.push(b)),
    description: 'tcp://plc:102',
    localTsap: 0x0100,
    remoteTsap: 0x0102,
    pduSize: 480,
    timeoutMs: 1000,
    onReady: (pdu) => (events.ready = pdu),
    onFail: (err, timedOut) => (events.fail = { code: (err as { code?: unknown }).code, timedOut }),
  });
  const reply = (pdu: Uint8Array): void => session.onData(encodeTpkt(encodeDt(pdu)));
  const handshake = (granted: number): void => {
    session.start();
    session.onData(encodeTpkt(encodeCc({ dstRef: 1, srcRef: 0x4400 })));
    reply(
      encodePdu(
        { rosctr: ROSCTR.ACK_DATA, pduRef: 0 },
        encodeSetup({ maxAmqCalling: 1, maxAmqCalled: 1, pduLength: granted }),
      ),
    );
  };
  /** The S7 PDU of the last DT sent. */
  const lastJob = () => {
    const t = decodeTpdu(sent.at(-1)!);
    if (t.kind !== 'DT') throw new Error('last TPDU is not DT');
    return decodePdu(t.payload);
  };
  return { clock, session, sent, events, reply, handshake, lastJob };
}

describe('S7 session', () => {
  it('connects with CR, negotiates the PDU and takes the smaller length', () => {
    const h = harness();
    h.handshake(240);
    expect(decodeTpdu(h.sent[0]!)).toMatchObject({ kind: 'CR', callingTsap: 0x0100, calledTsap: 0x0102 });
    expect(h.events.ready).toBe(240);
    expect(h.session.pduSize).toBe(240);
    expect(h.clock.pending).toBe(0);
  });

  it('times out a job, drops its late answer, and pairs the next answer by PDU reference', async () => {
    const h = harness();
    h.handshake(480);
    const first = h.session.job('Read Var', Uint8Array.of(0x04, 0));
    const firstRef = h.lastJob().pduRef;
    const failed = expect(first).rejects.toMatchObject({ code: 'WS_ERR_S7_TIMEOUT' });
    await h.clock.advance(1000);
    await failed;
    const second = h.session.job('Read Var', Uint8Array.of(0x04, 0));
    await h.clock.advance(0);
    const secondRef = h.lastJob().pduRef;
    expect(secondRef).not.toBe(firstRef);
    h.reply(encodePdu({ rosctr: ROSCTR.ACK_DATA, pduRef: firstRef }, Uint8Array.of(0x04, 0)));
    h.reply(
      encodePdu({ rosctr: ROSCTR.ACK_DATA, pduRef: secondRef }, Uint8Array.of(0x04, 0), Uint8Array.of(9)),
    );
    await expect(second).resolves.toMatchObject({ pdu: { pduRef: secondRef }, rttMs: 0 });
  });

  it('reports a header error of the PLC as WS_ERR_S7_PDU_ERROR', async () => {
    const h = harness();
    h.handshake(480);
    const job = h.session.job('Write Var', Uint8Array.of(0x05, 0));
    await h.clock.advance(0);
    h.reply(
      encodePdu(
        { rosctr: ROSCTR.ACK_DATA, pduRef: h.lastJob().pduRef, errorClass: 0x85, errorCode: 0 },
        new Uint8Array(0),
      ),
    );
    await expect(job).rejects.toMatchObject({ code: 'WS_ERR_S7_PDU_ERROR' });
  });

  it('fails the connection on a disconnect request (wrong rack/slot) and on a silent PLC', async () => {
    const refused = harness();
    refused.session.start();
    refused.session.onData(encodeTpkt(Uint8Array.of(6, 0x80, 0, 1, 0, 1, 0x81)));
    expect(refused.events.fail).toEqual({ code: 'WS_ERR_S7_REFUSED', timedOut: false });

    const silent = harness();
    silent.session.start();
    await silent.clock.advance(1000);
    expect(silent.events.fail).toEqual({ code: 'WS_ERR_S7_TIMEOUT', timedOut: true });
    expect(silent.clock.pending).toBe(0);
  });
});
