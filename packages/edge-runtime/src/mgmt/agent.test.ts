import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Errors, createLogger, silentLogger } from '@watershed/common';
import { freePort, waitFor } from '@watershed/common/testing';
import { decodeEdgeReport } from '@watershed/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceConfig, EdgeConfig } from '../config.js';
import { EdgeErrors } from '../errors.js';
import { startEdgeRuntime, type EdgeRuntime } from '../runtime.js';
import type { MemoryBank } from '../test-support.js';
import { MGMT_DEFAULTS, TestConsole, memoryModule, startMosquitto } from '../test-support.js';
import { LogTail } from './log-tail.js';

let broker: Awaited<ReturnType<typeof startMosquitto>>;
const dirs: string[] = [];
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(() => {
  broker?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const level = { name: 'level', address: 'r1', dataType: 'float' as const };
const setpoint = {
  name: 'setpoint',
  address: 'r2',
  dataType: 'uint16' as const,
  scale: 0.1,
  writable: true,
  min: 0,
  max: 100,
};
const alarm = { name: 'alarm', address: 'r3', dataType: 'bool' as const };

function plc(
  tags: DeviceConfig['groups'][number]['tags'],
  config: Record<string, unknown> = {},
): DeviceConfig {
  return {
    name: 'plc',
    driver: 'memory',
    config: { bank: 'b', ...config },
    groups: [{ name: 'g', intervalMs: 40, tags }],
  };
}

function edgeConfig(node: string, devices: DeviceConfig[], extra: Partial<EdgeConfig> = {}): EdgeConfig {
  const dir = mkdtempSync(join(tmpdir(), 'ws-mgmt-'));
  dirs.push(dir);
  return {
    site: 'plant',
    node,
    uplink: { url: broker.url, keepaliveS: 30, reconnectMs: 200, qos: 1 },
    buffer: { file: join(dir, 'outbox.sqlite'), maxMessages: 100_000, replayRatePerS: 5000, window: 32 },
    mgmt: MGMT_DEFAULTS,
    devices,
    ...extra,
  };
}

describe('config push over mgmt/config', () => {
  const banks = new Map<string, MemoryBank>();
  const drivers = [memoryModule(banks)];
  let config: EdgeConfig;
  let edge: EdgeRuntime;
  let cons: TestConsole;
  const v1 = { devices: [plc([level, setpoint])] };

  beforeAll(async () => {
    config = edgeConfig('cfg', [plc([level])]);
    cons = await TestConsole.open(broker.url, 'plant', 'cfg');
    edge = await startEdgeRuntime({ config, drivers, logger: silentLogger() });
    await waitFor(() => cons.valuesOf('g', 'level').length >= 2, { message: 'data of the local config' });
  });
  afterAll(async () => {
    await edge?.close();
    await cons?.close();
    expect(cons.invalid).toEqual([]);
  });

  it('applies v1: acks applied, announces the new catalog, data for the new tag follows with seq unbroken', async () => {
    expect(edge.health().configVersion).toBe(0);
    await cons.push(1, v1);
    expect(await cons.ack(1)).toMatchObject({ node: 'cfg', version: 1, result: 'applied', running: 1 });
    expect(edge.health().configVersion).toBe(1);
    await waitFor(() => cons.valuesOf('g', 'setpoint').length >= 2, { message: 'data for the new tag' });
    const birth = await waitFor(() => cons.statuses.find((s) => s.online && s.configVersion === '1'));
    expect(birth.groups?.[0]?.tags.map((t) => t.name)).toEqual(['level', 'setpoint']);
    const seqs = cons.data.filter((m) => m.group === 'g').map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i)); // no reset, no gap across the swap
  });

  it('rejects an invalid config with every problem by path, and v1 keeps running', async () => {
    const after = cons.acks.length;
    await cons.push(2, {
      devices: [{ ...plc([level]), groups: [{ name: 'g', intervalMs: 1, tags: [level] }] }],
    });
    const schema = await cons.ack(2, after);
    expect(schema).toMatchObject({ result: 'rejected', running: 1, code: Errors.CONFIG_INVALID.code });
    expect(schema.errors?.map((e) => e.path)).toEqual(['devices.0.groups.0.intervalMs']);

    await cons.push(2, {
      devices: [
        plc([level, { ...setpoint, address: 'x9' }]),
        {
          name: 'rtu',
          driver: 'nope',
          config: {},
          groups: [{ name: 'mgmt', intervalMs: 100, tags: [level] }],
        },
      ],
    });
    const semantic = await cons.ack(2, after + 1);
    expect(semantic.result).toBe('rejected');
    expect(semantic.errors?.map((e) => e.path)).toEqual([
      'devices.0.groups.0.tags.1.address',
      'devices.1.driver',
      'devices.1.groups.0.name',
    ]);
    expect(semantic.errors?.[0]?.message).toMatch(/a register like r1/);
    expect(edge.health().configVersion).toBe(1);
    const n = cons.valuesOf('g', 'setpoint').length;
    await waitFor(() => cons.valuesOf('g', 'setpoint').length > n + 1, { message: 'v1 still polled' });
  });

  it('rolls back when a driver fails while being applied, and the previous config runs again', async () => {
    const after = cons.acks.length;
    await cons.push(2, { devices: [plc([level], { fail: 'create' })] });
    const created = await cons.ack(2, after);
    expect(created).toMatchObject({ result: 'rolled-back', running: 1, code: EdgeErrors.DRIVER_CREATE.code });
    expect(created.errors?.[0]?.path).toBe('devices.0');

    // This one fails after the old plant was stopped: v1 must be started again.
    await cons.push(2, { devices: [plc([level], { fail: 'connect' })] });
    const connected = await cons.ack(2, after + 1);
    expect(connected).toMatchObject({
      result: 'rolled-back',
      running: 1,
      code: EdgeErrors.DEVICE_START.code,
    });
    expect(connected.errors?.[0]?.message).toMatch(/serial port/);
    expect(edge.health().configVersion).toBe(1);
    expect(edge.health().devices['plc']?.state).toBe('connected');
    const n = cons.valuesOf('g', 'setpoint').length;
    await waitFor(() => cons.valuesOf('g', 'setpoint').length > n + 1, { message: 'v1 polled again' });
  });

  it('ignores a redelivered version, refuses an older one, a conflicting one and a wrong checksum', async () => {
    const after = cons.acks.length;
    await cons.push(1, v1);
    expect(await cons.ack(1, after)).toMatchObject({ result: 'ignored', running: 1 });
    await cons.push(1, { devices: [] });
    expect(await cons.ack(1, after + 1)).toMatchObject({
      result: 'rejected',
      code: EdgeErrors.CONFIG_CONFLICT.code,
    });
    await cons.push(3, v1, 'f'.repeat(64));
    expect(await cons.ack(3, after + 2)).toMatchObject({
      result: 'rejected',
      code: EdgeErrors.CONFIG_CHECKSUM.code,
    });
    await cons.pushRaw('{"v":1,"version":4}');
    expect(await cons.ack(4, after + 3)).toMatchObject({
      result: 'rejected',
      code: EdgeErrors.BAD_MESSAGE.code,
    });
  });

  it('comes back on the last applied version after a restart, continuing each group seq', async () => {
    const lastSeq = Math.max(...cons.data.filter((m) => m.group === 'g').map((m) => m.seq));
    await edge.close();
    edge = await startEdgeRuntime({ config, drivers, logger: silentLogger() });
    expect(edge.health().configVersion).toBe(1);
    await waitFor(() => cons.statuses.filter((s) => s.online && s.configVersion === '1').length >= 2);
    const fresh = await waitFor(() => cons.data.find((m) => m.seq > lastSeq + 1));
    expect(fresh.values).toHaveProperty('setpoint');
    // an older push is still refused: the version survived too
    const after = cons.acks.length;
    await cons.push(1, { devices: [plc([level])] });
    expect(await cons.ack(1, after)).toMatchObject({
      result: 'rejected',
      code: EdgeErrors.CONFIG_CONFLICT.code,
    });
  });
});

describe('remote writes over mgmt/write', () => {
  const banks = new Map<string, MemoryBank>();
  const drivers = [memoryModule(banks)];
  let edge: EdgeRuntime;
  let cons: TestConsole;
  const point = (tag: string) => `plant.wr.g.${tag}`;

  beforeAll(async () => {
    const config = edgeConfig('wr', [
      plc([level, setpoint, alarm]),
      {
        name: 'stuck',
        driver: 'memory',
        config: { bank: 's', stuck: true },
        groups: [{ name: 's', intervalMs: 1000, tags: [{ ...setpoint, name: 'sp2' }] }],
      },
    ]);
    cons = await TestConsole.open(broker.url, 'plant', 'wr');
    edge = await startEdgeRuntime({ config, drivers, logger: silentLogger() });
    await waitFor(() => edge.health().uplink.connected);
  });
  afterAll(async () => {
    await edge?.close();
    await cons?.close();
    expect(cons.invalid).toEqual([]);
  });

  it('writes through the driver, reads the value back and answers ok; a repeated id is not written again', async () => {
    const bank = banks.get('b')!;
    const r = await cons.write({ id: 'w1', point: point('setpoint'), value: 12.3, expectedType: 'uint16' });
    expect(r).toMatchObject({ id: 'w1', ok: true, readBack: 12.3 });
    expect(bank.values.get('r2')).toBe(123); // raw = 12.3 / 0.1
    expect(bank.writes).toBe(1);
    const again = await cons.write({ id: 'w1', point: point('setpoint'), value: 12.3 });
    expect(again).toEqual(r);
    expect(bank.writes).toBe(1);
    await waitFor(() => cons.data.some((m) => m.values['setpoint'] === 12.3), {
      message: 'new value polled',
    });
  });

  it('refuses read-only tags, values past the limits or of the wrong type, stale and unknown requests', async () => {
    const bank = banks.get('b')!;
    const writes = bank.writes;
    const code = async (
      id: string,
      req: { point: string; value: unknown; deadline?: number; expectedType?: 'float' },
    ) => (await cons.write({ id, ...(req as { point: string; value: number }) })).code;
    expect(await code('r1', { point: point('alarm'), value: true })).toBe(EdgeErrors.WRITE_READ_ONLY.code);
    expect(await code('r2', { point: point('setpoint'), value: 100.5 })).toBe(EdgeErrors.WRITE_LIMIT.code);
    expect(await code('r3', { point: point('setpoint'), value: 'high' })).toBe(EdgeErrors.WRITE_VALUE.code);
    expect(await code('r4', { point: point('setpoint'), value: 1, expectedType: 'float' })).toBe(
      EdgeErrors.WRITE_TYPE.code,
    );
    expect(await code('r5', { point: point('setpoint'), value: 1, deadline: Date.now() - 1000 })).toBe(
      EdgeErrors.WRITE_EXPIRED.code,
    );
    expect(await code('r6', { point: 'plant.other.g.setpoint', value: 1 })).toBe(
      EdgeErrors.WRITE_UNKNOWN_POINT.code,
    );
    expect(await code('r7', { point: point('nope'), value: 1 })).toBe(EdgeErrors.WRITE_UNKNOWN_POINT.code);
    expect(bank.writes).toBe(writes);
    expect(edge.health().writes).toMatchObject({ ok: 1, refused: 7 });
  });

  it('reports a write the device did not keep as a read-back mismatch with the value read', async () => {
    banks.get('s')!.values.set('r2', 50);
    const r = await cons.write({ id: 'm1', point: 'plant.wr.s.sp2', value: 20 });
    expect(r).toMatchObject({ ok: false, code: EdgeErrors.WRITE_READBACK.code, readBack: 5 });
  });

  it('answers a malformed request that carries an id', async () => {
    const r = await cons.write({ id: 'bad', point: point('setpoint'), value: { x: 1 } as never });
    expect(r).toMatchObject({ ok: false, code: EdgeErrors.BAD_MESSAGE.code });
  });
});

describe('reports over mgmt/metrics and mgmt/log', () => {
  it('publishes link states, poll statistics, the backlog and the log tail', async () => {
    const banks = new Map<string, MemoryBank>();
    const tail = new LogTail({ size: 50 });
    const logger = createLogger({ level: 'info', destination: tail as unknown as NodeJS.WritableStream });
    const cons = await TestConsole.open(broker.url, 'plant', 'rep');
    const edge = await startEdgeRuntime({
      config: edgeConfig('rep', [plc([level, setpoint])], {
        mgmt: { ...MGMT_DEFAULTS, reportIntervalS: 0.2 },
      }),
      drivers: [memoryModule(banks)],
      logger,
      logTail: tail,
    });
    try {
      const report = await waitFor(() => cons.reports.find((r) => (r.groups['g']?.polls ?? 0) >= 3), {
        message: 'a report with polls',
      });
      expect(report).toMatchObject({
        node: 'rep',
        configVersion: 0,
        devices: { plc: { driver: 'memory', state: 'connected' } },
        groups: { g: { device: 'plc', intervalMs: 40, errors: 0 } },
        uplink: { connected: true },
      });
      expect(report.buffer.rows).toBeGreaterThanOrEqual(0);
      expect(report.process?.rssBytes).toBeGreaterThan(0);
      expect(decodeEdgeReport(JSON.stringify(report)).ok).toBe(true);
      expect(report.groups['g']!.latenessP99Ms).toBeGreaterThanOrEqual(report.groups['g']!.latenessP50Ms);
      await cons.write({ id: 'x', point: 'plant.rep.g.setpoint', value: 1000 }); // logs a warning
      const log = await waitFor(() =>
        cons.logs.find((l) => l.lines.some((x) => /write refused/.test(x.msg))),
      );
      expect(log.lines.find((x) => /write refused/.test(x.msg))).toMatchObject({
        level: 'warn',
        context: { code: EdgeErrors.WRITE_LIMIT.code },
      });
    } finally {
      await edge.close();
      await cons.close();
    }
  });
});

describe('with the link down', () => {
  it('keeps polling and buffering, and closes without waiting for replies it could not send', async () => {
    const deadPort = await freePort(); // nothing listens here
    const config = edgeConfig('down', [plc([level])], {
      mgmt: { ...MGMT_DEFAULTS, reportIntervalS: 0.05 },
    });
    const edge = await startEdgeRuntime({
      config: { ...config, uplink: { ...config.uplink, url: `mqtt://127.0.0.1:${deadPort}` } },
      drivers: [memoryModule(new Map())],
      logger: silentLogger(),
    });
    await waitFor(() => (edge.health().groups['g']?.polls ?? 0) >= 5, { message: 'polls while offline' });
    expect(edge.report().buffer.rows).toBeGreaterThanOrEqual(5);
    expect(edge.report().buffer.oldestTs).toBeGreaterThan(0);
    expect(edge.report().uplink.connected).toBe(false);
    await edge.close(); // reports were handed to mqtt.js while offline: must not hold this up
  });
});
