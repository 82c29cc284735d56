import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@watershed/common/testing';
import {
  createRegisterBank,
  encodeValue,
  startModbusTcpServer,
  writeRegisters,
  type ModbusTcpServer,
  type RegisterBank,
} from '@watershed/driver-modbus';
import {
  decodeUplink,
  mgmtTopic,
  type ConfigAck,
  type EdgeStatus,
  type UplinkMessage,
  type WriteResult,
} from '@watershed/model';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configChecksum,
  createEdgeLogger,
  startEdge,
  type EdgeConfigInput,
  type EdgeRuntime,
} from './index.js';

// The whole management loop against independent peers: Mosquitto (Debian) as the broker, the
// Modbus driver's TCP server as the PLC, mqtt.js as the console.
const MOSQUITTO = '/usr/sbin/mosquitto';
const SITE = 'works';
const NODE = 'gw';

let mosquitto: ChildProcess;
let brokerUrl: string;
let bank: RegisterBank;
let plc: ModbusTcpServer;
let dir: string;

beforeAll(async () => {
  if (!existsSync(MOSQUITTO))
    throw new Error(`${MOSQUITTO} is missing: apt-get install mosquitto (.ci/run does)`);
  const port = await freePort();
  mosquitto = spawn(MOSQUITTO, ['-p', String(port)], { stdio: 'ignore' });
  brokerUrl = `mqtt://127.0.0.1:${port}`;
  await waitFor(
    () => connectAsync(brokerUrl, { reconnectPeriod: 0 }).then((c) => c.endAsync().then(() => true)),
    { message: 'mosquitto did not start' },
  );
  bank = createRegisterBank();
  writeRegisters(bank, 'holding', 0, encodeValue('uint16', 42)); // 1!400001 level
  writeRegisters(bank, 'holding', 1, encodeValue('uint16', 250)); // 1!400002 setpoint ×0.1
  plc = await startModbusTcpServer({ host: '127.0.0.1', port: 0, banks: new Map([[1, bank]]) });
  dir = mkdtempSync(join(tmpdir(), 'ws-edge-mgmt-'));
});

afterAll(async () => {
  await plc?.close();
  mosquitto?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The console's side: publishes pushes and writes, collects what the gateway answers. */
class Console {
  readonly acks: ConfigAck[] = [];
  readonly results: WriteResult[] = [];
  readonly statuses: EdgeStatus[] = [];
  readonly data: UplinkMessage[] = [];
  constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      if (topic.endsWith('/data')) {
        const r = decodeUplink(payload);
        if (r.ok) this.data.push(r.message);
      } else if (topic.endsWith('/mgmt/ack')) this.acks.push(JSON.parse(payload.toString()) as ConfigAck);
      else if (topic.endsWith('/mgmt/write-result'))
        this.results.push(JSON.parse(payload.toString()) as WriteResult);
      else if (topic.endsWith('/mgmt/status'))
        this.statuses.push(JSON.parse(payload.toString()) as EdgeStatus);
    });
  }
  async push(version: number, config: object): Promise<ConfigAck> {
    const n = this.acks.length;
    // Retained, as a console should: a gateway offline now still gets it when it reconnects.
    await this.client.publishAsync(
      mgmtTopic(SITE, NODE, 'config'),
      JSON.stringify({ v: 1, version, checksum: configChecksum(config), config }),
      { qos: 1, retain: true },
    );
    return waitFor(() => this.acks.slice(n).find((a) => a.version === version), {
      message: `ack of v${version}`,
    });
  }
  async write(id: string, tag: string, value: number | boolean): Promise<WriteResult> {
    await this.client.publishAsync(
      mgmtTopic(SITE, NODE, 'write'),
      JSON.stringify({ v: 1, id, point: `${SITE}.${NODE}.g.${tag}`, value, deadline: Date.now() + 5000 }),
      { qos: 1 },
    );
    return waitFor(() => this.results.find((r) => r.id === id), { message: `result of write ${id}` });
  }
}

type TagInput = EdgeConfigInput['devices'][number]['groups'][number]['tags'][number];

function device(tags: TagInput[], address = '127.0.0.1') {
  return {
    name: 'plc',
    driver: 'modbus-tcp',
    config: { host: address, port: plc.port, timeoutMs: 500, backoffMinMs: 50, backoffMaxMs: 300 },
    groups: [{ name: 'g', intervalMs: 100, tags }],
  };
}
const level: TagInput = { name: 'level', address: '1!400001', dataType: 'uint16' };
const setpoint: TagInput = {
  name: 'setpoint',
  address: '1!400002',
  dataType: 'uint16',
  scale: 0.1,
  unit: 'm',
  writable: true,
  min: 0,
  max: 50,
};

describe('edge gateway managed from the console (Modbus TCP device, Mosquitto)', () => {
  let edge: EdgeRuntime;
  let cons: Console;
  let local: EdgeConfigInput;

  beforeAll(async () => {
    cons = new Console(await connectAsync(brokerUrl));
    await cons.client.subscribeAsync(`ws/v1/${SITE}/${NODE}/#`, { qos: 1 });
    local = {
      site: SITE,
      node: NODE,
      uplink: { url: brokerUrl, reconnectMs: 200 },
      buffer: { file: join(dir, 'outbox.sqlite') },
      devices: [device([level])],
    };
    edge = await startEdge({ config: local });
    await waitFor(() => cons.data.some((m) => m.values['level'] === 42), { message: 'first poll' });
  });
  afterAll(async () => {
    await edge?.close();
    await cons?.client.endAsync();
  });

  it('applies v1 from the console: acked, and the new tag is polled from the PLC', async () => {
    expect(await cons.push(1, { devices: [device([level, setpoint])] })).toMatchObject({
      result: 'applied',
      running: 1,
    });
    await waitFor(() => cons.data.some((m) => m.values['setpoint'] === 25), { message: 'new tag polled' });
  });

  it('rejects a config with a bad Modbus address by path; v1 keeps running', async () => {
    const ack = await cons.push(2, { devices: [device([level, { ...setpoint, address: '1!900001' }])] });
    expect(ack).toMatchObject({ result: 'rejected', running: 1 });
    expect(ack.errors?.map((e) => e.path)).toEqual(['devices.0.groups.0.tags.1.address']);
    expect(edge.health().configVersion).toBe(1);
  });

  it('writes a setpoint to the PLC, reads it back, and refuses read-only or out-of-limit writes', async () => {
    const ok = await cons.write('w1', 'setpoint', 31.4);
    expect(ok).toMatchObject({ ok: true, readBack: 31.4 });
    expect(bank.holdingRegisters[1]).toBe(314);
    await waitFor(() => cons.data.some((m) => m.values['setpoint'] === 31.4), {
      message: 'polled after write',
    });

    expect(await cons.write('w2', 'level', 7)).toMatchObject({
      ok: false,
      code: 'WS_ERR_EDGE_WRITE_READ_ONLY',
    });
    expect(await cons.write('w3', 'setpoint', 75)).toMatchObject({
      ok: false,
      code: 'WS_ERR_EDGE_WRITE_LIMIT',
    });
    expect(bank.holdingRegisters[0]).toBe(42);
    expect(bank.holdingRegisters[1]).toBe(314);
  });

  it('comes back on v1 after a restart and answers the retained push against the version it runs', async () => {
    await edge.close();
    const acks = cons.acks.length;
    edge = await startEdge({ config: local });
    expect(edge.health().configVersion).toBe(1);
    // The broker hands the retained push (the rejected v2) to the new subscription at once.
    const redelivered = await waitFor(() => cons.acks.slice(acks)[0], { message: 'retained push handled' });
    expect(redelivered).toMatchObject({ version: 2, result: 'rejected', running: 1 });
    const seen = cons.data.length;
    await waitFor(() => cons.data.slice(seen).some((m) => m.values['setpoint'] === 31.4), {
      message: 'v1 polled after restart',
    });
  });
});

describe('createEdgeLogger', () => {
  it('writes every line to its destination and keeps the warnings for mgmt/log', () => {
    const out: string[] = [];
    const { logger, logTail } = createEdgeLogger({
      level: 'info',
      destination: { write: (s: string) => out.push(s) } as never,
    });
    logger.info('polling');
    logger.warn({ device: 'plc' }, 'device down');
    expect(out).toHaveLength(2);
    expect(logTail.lines()).toMatchObject([
      { level: 'warn', msg: 'device down', context: { device: 'plc' } },
    ]);
  });
});
