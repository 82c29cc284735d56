/**
 * Interoperability with independent implementations: our client against pymodbus's server, and
 * mbpoll (libmodbus) against our server. Both peers come from Debian packages that CI installs;
 * when one is missing these tests fail with a message saying so rather than skipping.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger, systemClock } from '@watershed/common';
import type { TagRef } from '@watershed/driver-sdk';
import { encodeValue } from './codec/values.js';
import type { ModbusClientDriver } from './driver.js';
import { modbusTcpDriver } from './modules.js';
import { createRegisterBank, writeRegisters } from './server/bank.js';
import { startModbusTcpServer, type ModbusTcpServer } from './server/tcp-server.js';
import { eventually } from './test-support.js';

const PYTHON = '/usr/bin/python3';
const MBPOLL = '/usr/bin/mbpoll';
const SCRIPT = fileURLToPath(new URL('../test/peers/pymodbus_server.py', import.meta.url));
const run = promisify(execFile);

function requirePeer(path: string, install: string): void {
  if (!existsSync(path)) throw new Error(`peer ${path} is missing: install it with ${install} (CI does)`);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface Peer {
  port: number;
  stop(): Promise<void>;
}

async function startPymodbus(port: number, framing: 'mbap' | 'rtu' = 'mbap'): Promise<Peer> {
  requirePeer(PYTHON, 'apt-get install python3-pymodbus');
  const child: ChildProcess = spawn(PYTHON, [SCRIPT, String(port), ...(framing === 'rtu' ? ['rtu'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let ready = false;
  child.stdout?.on('data', (c: Buffer) => (ready ||= c.toString().includes('READY')));
  let dead = false;
  void exited.then(() => (dead = true));
  await eventually(() => ready || dead, 10_000, 'pymodbus to start');
  if (dead)
    throw new Error(
      `pymodbus server did not start (is python3-pymodbus installed for ${PYTHON}?):\n${stderr}`,
    );
  // READY comes just before listen(); wait until the port accepts a connection.
  await eventually(
    () =>
      dead ||
      new Promise<boolean>((resolve) => {
        const probe = connect({ host: '127.0.0.1', port });
        probe.once('connect', () => {
          probe.destroy();
          resolve(true);
        });
        probe.once('error', () => resolve(false));
      }),
    10_000,
    'pymodbus to listen',
  );
  if (dead) throw new Error(`pymodbus server exited:\n${stderr}`);
  return {
    port,
    async stop() {
      if (!dead) child.kill('SIGKILL');
      await exited;
    },
  };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const tag = (name: string, address: string, dataType: TagRef['dataType']): TagRef => ({
  name,
  address,
  dataType,
});

function driverFor(port: number, framing: 'mbap' | 'rtu' = 'mbap'): ModbusClientDriver {
  const d = modbusTcpDriver.create(
    { host: '127.0.0.1', port, framing, timeoutMs: 1000, backoffMinMs: 50, backoffMaxMs: 200, maxGap: 8 },
    { clock: systemClock, logger: silentLogger() },
  );
  cleanup.push(() => d.close());
  return d;
}

describe('our driver against pymodbus 3 (server)', () => {
  it('reads every area and type, and writes registers and coils', async () => {
    const peer = await startPymodbus(await freePort());
    cleanup.push(() => peer.stop());
    const d = driverFor(peer.port);
    await d.connect();
    await d.connected();
    const tags = [
      tag('u16', '1!400001', 'uint16'),
      tag('i16', '1!400002', 'int16'),
      tag('f', '1!400003', 'float'),
      tag('i32', '1!400005#BL', 'int32'),
      tag('d', '1!400011', 'double'),
      tag('ir', '1!300001', 'uint16'),
      tag('coil', '1!000003', 'bool'),
      tag('di', '1!100006', 'bool'),
      tag('bit', '1!400001.1', 'bool'), // 1234 = 0b10011010010: bit 1 set
    ];
    const samples = await d.read(tags);
    expect(samples.map((s) => s.value)).toEqual([1234, -2, 21.5, -100000, 1013.25, 42, true, true, true]);

    await d.write(tag('f', '1!400021', 'float'), -7.25);
    await d.write(tag('w', '1!400030', 'int16'), -300);
    await d.write(tag('c', '1!000010', 'bool'), true);
    const back = await d.read([
      tag('f', '1!400021', 'float'),
      tag('w', '1!400030', 'int16'),
      tag('c', '1!000010', 'bool'),
    ]);
    expect(back.map((s) => s.value)).toEqual([-7.25, -300, true]);
  });

  it('pymodbus goes away: bad samples and backoff; it comes back: polling resumes by itself', async () => {
    const port = await freePort();
    let peer = await startPymodbus(port);
    cleanup.push(() => peer.stop());
    const d = driverFor(port);
    await d.connect();
    await d.connected();
    const t = [tag('u16', '1!400001', 'uint16')];
    expect((await d.read(t))[0]).toMatchObject({ quality: 'good', value: 1234 });

    await peer.stop();
    await eventually(() => d.health().state !== 'connected', 5000, 'link loss');
    const down = await d.read(t);
    expect(down[0]).toMatchObject({ quality: 'bad', value: null });
    expect(['backoff', 'connecting']).toContain(d.health().state);

    peer = await startPymodbus(port);
    await d.connected();
    expect((await d.read(t))[0]).toMatchObject({ quality: 'good', value: 1234 });
  });
});

describe('our driver against pymodbus 3 (RTU framing over TCP)', () => {
  it('reads and writes with RTU frames and CRCs that pymodbus accepts', async () => {
    const peer = await startPymodbus(await freePort(), 'rtu');
    cleanup.push(() => peer.stop());
    const d = driverFor(peer.port, 'rtu');
    await d.connect();
    await d.connected();
    const tags = [
      tag('u16', '1!400001', 'uint16'),
      tag('f', '1!400003', 'float'),
      tag('coil', '1!000003', 'bool'),
    ];
    expect((await d.read(tags)).map((s) => s.value)).toEqual([1234, 21.5, true]);
    await d.write(tag('w', '1!400040', 'uint32'), 123456789);
    expect((await d.read([tag('w', '1!400040', 'uint32')]))[0]!.value).toBe(123456789);
  });
});

describe('mbpoll (libmodbus, client) against our server', () => {
  async function serve(): Promise<{ server: ModbusTcpServer; bank: ReturnType<typeof createRegisterBank> }> {
    const bank = createRegisterBank({
      holdingRegisters: 100,
      coils: 100,
      inputRegisters: 100,
      discreteInputs: 100,
    });
    writeRegisters(bank, 'holding', 0, Uint16Array.of(10, 20, 30, 40));
    writeRegisters(bank, 'holding', 4, encodeValue('float', 3.5));
    writeRegisters(bank, 'input', 0, Uint16Array.of(7, 65535));
    bank.coils.set([1, 0, 1], 0);
    const server = await startModbusTcpServer({ port: 0, banks: new Map([[1, bank]]) });
    cleanup.push(() => server.close());
    return { server, bank };
  }

  async function mbpoll(port: number, ...args: string[]): Promise<string[]> {
    requirePeer(MBPOLL, 'apt-get install mbpoll');
    const { stdout } = await run(MBPOLL, ['-m', 'tcp', '-a', '1', '-1', '-p', String(port), ...args], {
      timeout: 10_000,
    });
    return stdout
      .split('\n')
      .filter((l) => /^\[\d+\]:/.test(l))
      .map((l) => l.replace(/\s+/g, ' ').trim());
  }

  it('reads holding and input registers, coils and a float', async () => {
    const { server } = await serve();
    expect(await mbpoll(server.port, '-r', '1', '-c', '4', '-t', '4', '127.0.0.1')).toEqual([
      '[1]: 10',
      '[2]: 20',
      '[3]: 30',
      '[4]: 40',
    ]);
    expect(await mbpoll(server.port, '-r', '1', '-c', '2', '-t', '3', '127.0.0.1')).toEqual([
      '[1]: 7',
      '[2]: 65535 (-1)',
    ]);
    expect(await mbpoll(server.port, '-r', '1', '-c', '3', '-t', '0', '127.0.0.1')).toEqual([
      '[1]: 1',
      '[2]: 0',
      '[3]: 1',
    ]);
    // -t 4:float -B: big-endian word order, our default #LL.
    expect(await mbpoll(server.port, '-r', '5', '-c', '1', '-t', '4:float', '-B', '127.0.0.1')).toEqual([
      '[5]: 3.5',
    ]);
  });

  it('writes registers (FC 16) and coils (FC 15) into the bank', async () => {
    const { server, bank } = await serve();
    await run(MBPOLL, [
      '-m',
      'tcp',
      '-a',
      '1',
      '-1',
      '-p',
      String(server.port),
      '-r',
      '11',
      '-t',
      '4',
      '127.0.0.1',
      '111',
      '222',
    ]);
    expect(Array.from(bank.holdingRegisters.subarray(10, 12))).toEqual([111, 222]);
    await run(MBPOLL, [
      '-m',
      'tcp',
      '-a',
      '1',
      '-1',
      '-p',
      String(server.port),
      '-r',
      '20',
      '-t',
      '0',
      '127.0.0.1',
      '1',
      '1',
    ]);
    expect(Array.from(bank.coils.subarray(19, 21))).toEqual([1, 1]);
  });

  it('gets exception 2 for an address outside the bank', async () => {
    const { server } = await serve();
    const err = await run(MBPOLL, [
      '-m',
      'tcp',
      '-a',
      '1',
      '-1',
      '-p',
      String(server.port),
      '-r',
      '99',
      '-c',
      '5',
      '-t',
      '4',
      '127.0.0.1',
    ]).then(
      () => undefined,
      (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}`,
    );
    expect(err).toMatch(/Illegal data address/i);
  });
});
