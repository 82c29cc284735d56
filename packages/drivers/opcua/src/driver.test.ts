/**
 * Interop with an independent peer: a node-opcua server on 127.0.0.1 (test-support.ts).
 */
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import type { TagRef } from '@watershed/driver-sdk';
import type { Sample } from '@watershed/model';
import { StatusCodes } from 'node-opcua-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpcuaConfig } from './config.js';
import { OpcuaClientDriver } from './driver.js';
import { startTestServer, tempPki, type TestServer } from './test-support.js';

const ctx = { clock: systemClock, logger: silentLogger() };
let pki: { dir: string; remove(): Promise<void> };
let server: TestServer;

function driverFor(url: string, extra: Partial<OpcuaConfig> = {}): OpcuaClientDriver {
  return new OpcuaClientDriver(
    {
      endpointUrl: url,
      pkiDir: `${pki.dir}/client`,
      requestTimeoutMs: 2000,
      backoffMinMs: 50,
      backoffMaxMs: 300,
      ...extra,
    },
    ctx,
  );
}

const tag = (name: string, address: string, dataType: TagRef['dataType']): TagRef => ({
  name,
  address,
  dataType,
});

beforeAll(async () => {
  pki = await tempPki();
  server = await startTestServer({ pkiDir: pki.dir });
  // The server's certificate is made here, once for the file: slow on a busy machine.
}, 90_000);
afterAll(async () => {
  await server.stop();
  await pki.remove();
});

describe('opcua driver against a node-opcua server', () => {
  let driver: OpcuaClientDriver;
  beforeAll(async () => {
    driver = driverFor(server.endpointUrl);
    await driver.connect();
    await driver.connected();
  }, 60_000);
  afterAll(async () => {
    await driver.close();
  });

  it('discovers the endpoints at connect', () => {
    expect(driver.health().state).toBe('connected');
    expect(driver.endpoints()).toContainEqual(
      expect.objectContaining({ securityMode: 'None', securityPolicy: 'None' }),
    );
  });

  it('reads every data type, batched by the server’s MaxNodesPerRead', async () => {
    const tags = [
      tag('flow', 'ns=1;s=Plant.Flow', 'double'),
      tag('level', 'ns=1;s=Plant.Level', 'float'),
      tag('run', 'ns=1;s=Plant.Running', 'bool'),
      tag('i16', 'ns=1;s=Plant.I16', 'int16'),
      tag('u16', 'ns=1;s=Plant.U16', 'uint16'),
      tag('i32', 'ns=1;s=Plant.I32', 'int32'),
      tag('u32', 'ns=1;s=Plant.U32', 'uint32'),
      tag('i64', 'ns=1;s=Plant.I64', 'int64'),
      tag('u64', 'ns=1;s=Plant.U64', 'uint64'),
      tag('name', 'ns=1;s=Plant.Name', 'string'),
      tag('mode', 'ns=1;s=Plant.Mode', 'uint16'),
      tag('counter', 'ns=1;i=1001', 'uint32'),
      tag('flow-again', 'ns=1;s=Plant.Flow', 'double'),
      tag('setpoint', 'ns=1;s=Plant.Setpoint', 'double'),
      tag('server-time', 'i=2258', 'string'),
    ];
    const before = driver.health().stats.requests;
    const samples = await driver.read(tags);
    // 14 distinct nodes, at most 12 per Read (the server's OperationLimits) → 2 calls.
    expect(driver.health().stats.requests - before).toBe(2);
    expect(samples.map((s) => s.quality)).toEqual(tags.map(() => 'good'));
    expect(samples.map((s) => s.value)).toEqual([
      12.5,
      3.25,
      true,
      -1234,
      65000,
      -100000,
      4000000000,
      -2,
      2 ** 32 + 5,
      'north pump station',
      3,
      1001,
      12.5,
      4.5,
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    ]);
  });

  it('keeps the source timestamp', async () => {
    const at = new Date('2026-11-27T10:00:00.000Z');
    server.set('Level', 4.5, StatusCodes.Good, at);
    const [s] = await driver.read([tag('level', 'ns=1;s=Plant.Level', 'float')]);
    expect(s).toEqual({ ts: at.getTime(), value: 4.5, quality: 'good' });
  });

  it('carries status codes into quality, with the code name as reason', async () => {
    const samples = await driver.read([
      tag('broken', 'ns=1;s=Plant.Broken', 'double'),
      tag('stale', 'ns=1;s=Plant.Stale', 'double'),
      tag('missing', 'ns=1;s=Plant.Nope', 'double'),
      tag('bad-address', 'Plant.Flow', 'double'),
    ]);
    expect(samples[0]).toMatchObject({ quality: 'bad', value: null, reason: 'BadSensorFailure' });
    expect(samples[1]).toMatchObject({
      quality: 'uncertain',
      value: 7.5,
      reason: 'UncertainLastUsableValue',
    });
    expect(samples[2]).toMatchObject({ quality: 'bad', value: null, reason: 'BadNodeIdUnknown' });
    expect(samples[3]).toMatchObject({ quality: 'bad', value: null, reason: 'WS_ERR_OPCUA_ADDRESS' });
  });

  it('writes typed values and checks the status', async () => {
    await driver.write(tag('sp', 'ns=1;s=Plant.Setpoint', 'double'), 9.75);
    expect(server.get('Setpoint')).toBe(9.75);
    await driver.write(tag('run', 'ns=1;s=Plant.Running', 'bool'), false);
    expect(server.get('Running')).toBe(false);
    // A Byte node written through a uint16 tag names its built-in type in the address.
    await driver.write(tag('mode', 'type=Byte;ns=1;s=Plant.Mode', 'uint16'), 7);
    expect(server.get('Mode')).toBe(7);
    const [mode] = await driver.read([tag('mode', 'ns=1;s=Plant.Mode', 'uint16')]);
    expect(mode?.value).toBe(7);

    await expect(driver.write(tag('flow', 'ns=1;s=Plant.Flow', 'double'), 1)).rejects.toMatchObject({
      code: 'WS_ERR_OPCUA_WRITE_REJECTED',
      details: { statusCode: expect.stringMatching(/^Bad(NotWritable|UserAccessDenied)$/) as unknown },
    });
    await expect(
      driver.write(tag('mode', 'type=Byte;ns=1;s=Plant.Mode', 'uint16'), 300),
    ).rejects.toMatchObject({ code: 'WS_ERR_OPCUA_WRITE_VALUE' });
    // A Double written to the Byte node without the type prefix: the server refuses the type.
    await expect(driver.write(tag('mode', 'ns=1;s=Plant.Mode', 'double'), 2)).rejects.toMatchObject({
      code: 'WS_ERR_OPCUA_WRITE_REJECTED',
      details: { statusCode: 'BadTypeMismatch' },
    });
  });

  it('reports changes by exception, honouring an absolute deadband', async () => {
    const got: { tag: string; sample: Sample }[] = [];
    const sub = await driver.subscribe(
      [tag('flow', 'ns=1;s=Plant.Flow', 'double'), tag('name', 'ns=1;s=Plant.Name', 'string')],
      (t, sample) => got.push({ tag: t, sample }),
      { samplingIntervalMs: 50, deadband: 1 },
    );
    try {
      // The initial values arrive first (Part 4 §5.12.1.4).
      await waitFor(() => got.some((g) => g.tag === 'flow') && got.some((g) => g.tag === 'name'));
      const ts = new Date('2026-11-27T11:00:00.000Z');
      server.set('Flow', 20, StatusCodes.Good, ts);
      await waitFor(() => got.find((g) => g.sample.value === 20));
      expect(got.find((g) => g.sample.value === 20)?.sample).toEqual({
        ts: ts.getTime(),
        value: 20,
        quality: 'good',
      });
      // 20.5 is inside the deadband, 25 is not: the next flow sample is 25.
      const seen = got.length;
      server.set('Flow', 20.5);
      server.set('Name', 'marker');
      await waitFor(() => got.some((g) => g.sample.value === 'marker'));
      server.set('Flow', 25);
      await waitFor(() => got.slice(seen).some((g) => g.tag === 'flow'));
      expect(
        got
          .slice(seen)
          .filter((g) => g.tag === 'flow')
          .map((g) => g.sample.value),
      ).toEqual([25]);
    } finally {
      await sub.close();
      server.set('Flow', 12.5);
    }
  });

  it('reports a monitored item the server refuses as a bad sample', async () => {
    const got: { tag: string; sample: Sample }[] = [];
    const sub = await driver.subscribe(
      [tag('missing', 'ns=1;s=Plant.Nope', 'double'), tag('run', 'ns=1;s=Plant.Running', 'bool')],
      (t, sample) => got.push({ tag: t, sample }),
      { samplingIntervalMs: 50 },
    );
    try {
      await waitFor(() => got.some((g) => g.tag === 'missing') && got.some((g) => g.tag === 'run'));
      expect(got.find((g) => g.tag === 'missing')?.sample).toMatchObject({
        quality: 'bad',
        value: null,
        reason: 'BadNodeIdUnknown',
      });
    } finally {
      await sub.close();
    }
  });

  it('browses the address space for the tag picker', async () => {
    const tree = await driver.browse();
    const plant = tree.find((n) => n.name === 'Plant');
    expect(plant?.address).toBe('ns=1;s=Plant');
    expect(tree.some((n) => n.name === 'Server')).toBe(false);
    const children = plant?.children ?? [];
    expect(children.find((c) => c.name === 'Setpoint')).toEqual({
      address: 'ns=1;s=Plant.Setpoint',
      name: 'Setpoint',
      dataType: 'double',
      writable: true,
    });
    expect(children.find((c) => c.name === 'Flow')).toMatchObject({ dataType: 'double', writable: false });
    expect(children.find((c) => c.name === 'I64')).toMatchObject({ dataType: 'int64' });
    expect(children.find((c) => c.name === 'Name')).toMatchObject({ dataType: 'string' });
  });
});

describe('opcua driver across a server restart', () => {
  it('reconnects by itself and the subscription delivers again', { timeout: 120_000 }, async () => {
    let peer = await startTestServer({ pkiDir: pki.dir });
    const port = peer.port;
    const driver = driverFor(peer.endpointUrl);
    const got: Sample[] = [];
    try {
      await driver.connect();
      await driver.connected();
      await driver.subscribe([tag('flow', 'ns=1;s=Plant.Flow', 'double')], (_t, s) => got.push(s), {
        samplingIntervalMs: 50,
      });
      await waitFor(() => got.some((s) => s.value === 12.5));
      await peer.stop();
      await waitFor(() => driver.health().state !== 'connected', { timeoutMs: 10_000 });
      await waitFor(() => got.some((s) => s.quality === 'bad' && s.reason === 'WS_ERR_OPCUA_DISCONNECTED'));
      const [down] = await driver.read([tag('flow', 'ns=1;s=Plant.Flow', 'double')]);
      expect(down).toMatchObject({ quality: 'bad', reason: 'WS_ERR_OPCUA_DISCONNECTED' });

      peer = await startTestServer({ pkiDir: pki.dir, port });
      await waitFor(() => driver.health().state === 'connected', { timeoutMs: 45_000 });
      peer.set('Flow', 33);
      await waitFor(() => got.some((s) => s.value === 33), { timeoutMs: 10_000 });
      const [up] = await driver.read([tag('flow', 'ns=1;s=Plant.Flow', 'double')]);
      expect(up).toMatchObject({ quality: 'good', value: 33 });
      expect(driver.health().stats.reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      await driver.close();
      await peer.stop();
    }
  });
});
