/**
 * The outstation seen from a hand-driven master on loopback: raw APDUs in, decoded ASDUs out.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { ApduSplitter, U, decodeApdu, encodeI, encodeS, encodeU, type Apdu } from '../codec/apci.js';
import { decodeAsdu, encodeAsdu, type Asdu, type DecodedAsdu } from '../codec/asdu.js';
import { Cot, TypeId } from '../codec/types.js';
import { startIec104Outstation, type Iec104Outstation } from './outstation.js';
import type { OutstationPoint } from './points.js';

const CA = 3;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A minimal master: counts N(S)/N(R) itself, acknowledges every I-frame at once. */
async function master(station: Iec104Outstation) {
  const socket: Socket = connect({ host: '127.0.0.1', port: station.port });
  await new Promise((r) => socket.once('connect', r));
  const frames: Apdu[] = [];
  const asdus: DecodedAsdu[] = [];
  let vs = 0;
  let vr = 0;
  const splitter = new ApduSplitter((f) => {
    const apdu = decodeApdu(f);
    frames.push(apdu);
    if (apdu.format === 'I') {
      vr++;
      asdus.push(decodeAsdu(apdu.asdu));
      socket.write(encodeS(vr));
    }
  });
  socket.on('data', (c: Buffer) => splitter.push(c));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  cleanups.push(async () => {
    socket.destroy();
    await closed;
  });
  return {
    frames,
    asdus,
    closed,
    u: (fn: Parameters<typeof encodeU>[0]) => socket.write(encodeU(fn)),
    raw: (b: Uint8Array) => socket.write(encodeI(vs++, vr, b)),
    skip: () => vs++,
    send: (a: Asdu) => socket.write(encodeI(vs++, vr, encodeAsdu(a))),
    async start() {
      socket.write(encodeU(U.STARTDT_ACT));
      await waitFor(() => frames.some((f) => f.format === 'U' && f.fn === U.STARTDT_CON), {
        timeoutMs: 2000,
      });
    },
    until: (n: number) => waitFor(() => asdus.length >= n, { timeoutMs: 2000, intervalMs: 5 }),
  };
}

async function station(points: OutstationPoint[]) {
  const s = await startIec104Outstation({ port: 0, commonAddress: CA, points, clock: systemClock });
  cleanups.push(() => s.close());
  return s;
}

describe('iec104 outstation', () => {
  it('answers STARTDT and TESTFR, and confirms STOPDT', async () => {
    const s = await station([]);
    const m = await master(s);
    m.u(U.TESTFR_ACT);
    await m.start();
    m.u(U.STOPDT_ACT);
    await waitFor(() => m.frames.some((f) => f.format === 'U' && f.fn === U.STOPDT_CON), { timeoutMs: 2000 });
    expect(m.frames.filter((f) => f.format === 'U').map((f) => (f.format === 'U' ? f.fn : 0))).toEqual([
      U.TESTFR_CON,
      U.STARTDT_CON,
      U.STOPDT_CON,
    ]);
    expect(s.connections).toBe(1);
  });

  it('answers a station interrogation with ActCon, the image in full ASDUs (COT 20), then ActTerm', async () => {
    const points: OutstationPoint[] = [
      ...Array.from({ length: 45 }, (_, i): OutstationPoint => ({
        ioa: 16385 + i,
        type: 'M_ME_NC_1',
        value: i,
      })),
      { ioa: 1, type: 'M_SP_NA_1', value: true },
      { ioa: 4001, type: 'M_IT_NA_1', value: 5 },
    ];
    const s = await station(points);
    const m = await master(s);
    await m.start();
    // The broadcast common address 0xFFFF is allowed for interrogation (101 §7.2.4).
    m.send({
      typeId: TypeId.C_IC_NA_1,
      cot: Cot.ACTIVATION,
      commonAddress: 0xffff,
      objects: [{ ioa: 0, value: 20 }],
    });
    await m.until(5);
    const summary = m.asdus.map((a) => [a.typeId, a.cot, a.objects.length]);
    expect(summary).toEqual([
      [TypeId.C_IC_NA_1, Cot.ACTIVATION_CON, 1],
      [TypeId.M_ME_NC_1, Cot.INTERROGATED_STATION, 30],
      [TypeId.M_ME_NC_1, Cot.INTERROGATED_STATION, 15],
      [TypeId.M_SP_NA_1, Cot.INTERROGATED_STATION, 1],
      [TypeId.C_IC_NA_1, Cot.ACTIVATION_TERM, 1],
    ]);
    // Answers to the broadcast carry the station's own common address.
    expect(m.asdus.map((a) => a.commonAddress)).toEqual([CA, CA, CA, CA, CA]);
    // Counters come only with a counter interrogation, with COT 37.
    m.send({
      typeId: TypeId.C_CI_NA_1,
      cot: Cot.ACTIVATION,
      commonAddress: CA,
      objects: [{ ioa: 0, value: 5 }],
    });
    await m.until(8);
    expect(m.asdus.slice(5).map((a) => [a.typeId, a.cot])).toEqual([
      [TypeId.C_CI_NA_1, Cot.ACTIVATION_CON],
      [TypeId.M_IT_NA_1, Cot.COUNTER_GENERAL],
      [TypeId.C_CI_NA_1, Cot.ACTIVATION_TERM],
    ]);
  });

  it('refuses unknown types, causes, common addresses and IOAs with COT 44–47 and P/N = 1', async () => {
    const s = await station([{ ioa: 1, type: 'M_SP_NA_1', value: true }]);
    const m = await master(s);
    await m.start();
    m.raw(Uint8Array.of(0x7f, 0x01, 0x06, 0x00, CA, 0x00, 0, 0, 0, 0));
    m.send({
      typeId: TypeId.C_IC_NA_1,
      cot: Cot.SPONTANEOUS,
      commonAddress: CA,
      objects: [{ ioa: 0, value: 20 }],
    });
    m.send({
      typeId: TypeId.C_IC_NA_1,
      cot: Cot.ACTIVATION,
      commonAddress: 9,
      objects: [{ ioa: 0, value: 20 }],
    });
    m.send({
      typeId: TypeId.C_SC_NA_1,
      cot: Cot.ACTIVATION,
      commonAddress: CA,
      objects: [{ ioa: 77, value: true }],
    });
    await m.until(4);
    expect(m.asdus.map((a) => [a.typeId, a.cot, a.negative])).toEqual([
      [0x7f, Cot.UNKNOWN_TYPE, true],
      [TypeId.C_IC_NA_1, Cot.UNKNOWN_COT, true],
      [TypeId.C_IC_NA_1, Cot.UNKNOWN_CA, true],
      [TypeId.C_SC_NA_1, Cot.ACTIVATION_CON, true],
    ]);
  });

  it('withdraws a select on deactivation (COT 8 → 9), so the execute is refused', async () => {
    const s = await startIec104Outstation({
      port: 0,
      commonAddress: CA,
      points: [],
      commands: [{ ioa: 24577, type: 'C_SC_NA_1', sbo: true }],
      onCommand: () => true,
    });
    cleanups.push(() => s.close());
    const m = await master(s);
    await m.start();
    const cmd = (cot: number, select: boolean): Asdu => ({
      typeId: TypeId.C_SC_NA_1,
      cot,
      commonAddress: CA,
      objects: [{ ioa: 24577, value: true, select }],
    });
    m.send(cmd(Cot.ACTIVATION, true));
    await m.until(1);
    m.send(cmd(Cot.DEACTIVATION, true));
    await m.until(2);
    m.send(cmd(Cot.ACTIVATION, false));
    await m.until(3);
    expect(m.asdus.map((a) => [a.cot, a.negative])).toEqual([
      [Cot.ACTIVATION_CON, false],
      [Cot.DEACTIVATION_CON, false],
      [Cot.ACTIVATION_CON, true],
    ]);
  });

  it('reports changes spontaneously (COT 3) with a CP56Time2a time tag', async () => {
    const s = await station([
      { ioa: 16385, type: 'M_ME_NC_1', value: 1 },
      { ioa: 1, type: 'M_DP_NA_1', value: 1 },
    ]);
    const m = await master(s);
    await m.start();
    const t = Date.UTC(2026, 5, 1, 12, 0, 0, 1);
    s.update(16385, 2.5, { time: t, quality: 0x40 });
    s.update(1, true, { time: t });
    await m.until(2);
    expect(m.asdus.map((a) => [a.typeId, a.cot, a.objects[0]])).toEqual([
      [
        TypeId.M_ME_TF_1,
        Cot.SPONTANEOUS,
        { ioa: 16385, value: 2.5, quality: 0x40, time: t, timeInvalid: false },
      ],
      [TypeId.M_DP_TB_1, Cot.SPONTANEOUS, { ioa: 1, value: 2, quality: 0, time: t, timeInvalid: false }],
    ]);
    expect(s.get(16385)).toEqual({ value: 2.5, quality: 0x40 });
    // Only changes are reported, unless forced.
    s.update(16385, 2.5, { time: t });
    s.update(16385, 2.5, { time: t + 1, force: true });
    await m.until(3);
    expect(m.asdus[2]?.objects[0]?.time).toBe(t + 1);
    expect(() => s.update(999, 1)).toThrow(expect.objectContaining({ code: 'WS_ERR_IEC104_ADDRESS' }));
  });

  it('confirms clock synchronisation and remembers the time it was given', async () => {
    const s = await station([]);
    const m = await master(s);
    await m.start();
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    m.send({
      typeId: TypeId.C_CS_NA_1,
      cot: Cot.ACTIVATION,
      commonAddress: CA,
      objects: [{ ioa: 0, value: 0, time: t }],
    });
    await m.until(1);
    expect(m.asdus[0]).toMatchObject({ typeId: TypeId.C_CS_NA_1, cot: Cot.ACTIVATION_CON, negative: false });
    expect(s.lastClockSync).toBe(t);
  });

  it('closes a master connection whose N(S) is out of sequence (104 §5.1)', async () => {
    const s = await station([]);
    const m = await master(s);
    await m.start();
    const gi: Asdu = {
      typeId: TypeId.C_IC_NA_1,
      cot: Cot.ACTIVATION,
      commonAddress: CA,
      objects: [{ ioa: 0, value: 20 }],
    };
    m.send(gi);
    await m.until(2);
    m.skip();
    m.send(gi);
    await m.closed;
    await waitFor(() => s.connections === 0, { timeoutMs: 2000 });
    expect(m.asdus).toHaveLength(2);
  });
});
