import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMbap, MbapSplitter } from '../codec/mbap.js';
import { encodeValue } from '../codec/values.js';
import { eventually } from '../test-support.js';
import { createRegisterBank, writeRegisters } from './bank.js';
import { startModbusTcpServer, type ModbusTcpServer } from './tcp-server.js';

const h = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const hx = (b: Uint8Array): string => Buffer.from(b).toString('hex');

let server: ModbusTcpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Sends raw MBAP frames and collects the answers by transaction id. */
async function exchange(port: number, frames: Uint8Array[]): Promise<Map<number, string>> {
  const socket = connect({ host: '127.0.0.1', port });
  const answers = new Map<number, string>();
  const splitter = new MbapSplitter((f) => answers.set(f.transactionId, hx(f.pdu)));
  socket.on('data', (c: Buffer) => splitter.push(c));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write(Buffer.concat(frames)); // pipelined, in one TCP segment
  await eventually(() => answers.size === frames.length, 5000, 'answers');
  socket.destroy();
  return answers;
}

describe('Modbus TCP server', () => {
  it('answers pipelined requests by transaction id, per unit bank', async () => {
    const bank = createRegisterBank({ holdingRegisters: 100, coils: 16 });
    writeRegisters(bank, 'holding', 10, encodeValue('float', 1.5));
    bank.coils[3] = 1;
    const writes: unknown[] = [];
    server = await startModbusTcpServer({
      port: 0,
      banks: new Map([[5, bank]]),
      onWrite: (e) => writes.push(e),
    });
    const answers = await exchange(server.port, [
      encodeMbap(1, 5, h('03 000a 0002')),
      encodeMbap(2, 5, h('01 0000 0008')),
      encodeMbap(3, 5, h('10 0000 0002 04 0001 0002')),
      encodeMbap(4, 9, h('03 0000 0001')), // no bank for unit 9
      encodeMbap(5, 5, h('03 0063 0002')), // 99..100 runs past a 100-register table
      encodeMbap(6, 5, h('2b 0e01 00')),
    ]);
    expect(answers.get(1)).toBe('03043fc00000');
    expect(answers.get(2)).toBe('010108');
    expect(answers.get(3)).toBe('1000000002');
    expect(answers.get(4)).toBe('830b');
    expect(answers.get(5)).toBe('8302');
    expect(answers.get(6)).toBe('ab01');
    expect(Array.from(bank.holdingRegisters.subarray(0, 2))).toEqual([1, 2]);
    expect(writes).toEqual([{ unitId: 5, area: 'holdingRegisters', address: 0, count: 2 }]);
  });

  it('drops a client that sends a garbage header and closes remaining clients on close()', async () => {
    server = await startModbusTcpServer({ port: 0, banks: () => createRegisterBank({}) });
    const bad = connect({ host: '127.0.0.1', port: server.port });
    const closed = new Promise<void>((r) => bad.once('close', () => r()));
    bad.on('error', () => undefined);
    bad.write(h('0001 1234 0006 01 03 0000 0001'));
    await closed;
    const idle = connect({ host: '127.0.0.1', port: server.port });
    const idleClosed = new Promise<void>((r) => idle.once('close', () => r()));
    idle.on('error', () => undefined);
    await eventually(() => server!.connections === 1, 5000, 'connection');
    await server.close();
    await idleClosed;
    expect(server.connections).toBe(0);
  });

  it('refuses table sizes outside the address space', () => {
    expect(() => createRegisterBank({ coils: 70000 })).toThrow(RangeError);
    expect(() =>
      writeRegisters(createRegisterBank({ inputRegisters: 2 }), 'input', 1, Uint16Array.of(1, 2)),
    ).toThrow(RangeError);
  });
});
