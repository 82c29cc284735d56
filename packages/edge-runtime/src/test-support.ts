/** Helpers shared by this package's tests (not exported from the package). */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort, waitFor } from '@watershed/common/testing';
import type { Driver, DriverHealth, DriverModule, Readable, TagRef, Writable } from '@watershed/driver-sdk';
import {
  decodeConfigAck,
  decodeEdgeReport,
  decodeLogTail,
  decodeUplink,
  decodeWriteResult,
  mgmtTopic,
  parseTopic,
  type ConfigAck,
  type EdgeReport,
  type EdgeStatus,
  type LogTail as LogTailMessage,
  type Sample,
  type SampleValue,
  type UplinkMessage,
  type WriteRequest,
  type WriteResult,
} from '@watershed/model';
import { connectAsync, type MqttClient } from 'mqtt';
import { Type } from 'typebox';
import type { MgmtConfig } from './config.js';
import { configChecksum } from './mgmt/checksum.js';

/** The mgmt section as loadConfig fills it from defaults; tests spread overrides over it. */
export const MGMT_DEFAULTS: MgmtConfig = {
  enabled: true,
  reportIntervalS: 30,
  logLines: 200,
  logLevel: 'warn',
  writeTimeoutMs: 5000,
  writeCache: 256,
};

// Mosquitto from Debian: an independent broker for the uplink and the console side.
const MOSQUITTO = '/usr/sbin/mosquitto';

export async function startMosquitto(): Promise<{ port: number; url: string; stop(): void }> {
  if (!existsSync(MOSQUITTO))
    throw new Error(`${MOSQUITTO} is missing: apt-get install mosquitto (.ci/run does)`);
  const port = await freePort();
  const proc: ChildProcess = spawn(MOSQUITTO, ['-p', String(port)], { stdio: 'ignore' });
  const url = `mqtt://127.0.0.1:${port}`;
  await waitFor(() => connectAsync(url, { reconnectPeriod: 0 }).then((c) => c.endAsync().then(() => true)), {
    message: 'mosquitto did not start',
  });
  return { port, url, stop: () => proc.kill() };
}

/**
 * An in-memory device: registers by address, shared by every driver created on the same bank
 * (so a restarted gateway sees what was written). Its settings can make it fail on purpose.
 */
export class MemoryBank {
  readonly values = new Map<string, SampleValue>();
  writes = 0;
  /** Makes every driver on this bank report its link as disconnected. */
  linkDown = false;
}

interface MemoryDeviceConfig {
  bank?: string;
  /** 'create': the module throws creating the driver; 'connect': connect() rejects. */
  fail?: 'create' | 'connect';
  /** Accepts writes but keeps its value (a PLC overriding the setpoint). */
  stuck?: boolean;
}

class MemoryDevice implements Driver, Readable, Writable {
  readonly #bank: MemoryBank;
  readonly #config: MemoryDeviceConfig;
  #state: DriverHealth['state'] = 'disconnected';
  constructor(bank: MemoryBank, config: MemoryDeviceConfig) {
    this.#bank = bank;
    this.#config = config;
  }
  connect(): Promise<void> {
    if (this.#config.fail === 'connect') return Promise.reject(new Error('serial port /dev/ttyX missing'));
    this.#state = 'connected';
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.#state = 'closed';
    return Promise.resolve();
  }
  health(): DriverHealth {
    const state = this.#bank.linkDown && this.#state === 'connected' ? 'disconnected' : this.#state;
    return { state, since: 0, stats: { requests: 0, failures: 0, timeouts: 0, reconnects: 0 } };
  }
  read(tags: readonly TagRef[]): Promise<Sample[]> {
    return Promise.resolve(
      tags.map((t) => ({
        ts: Date.now(),
        value: this.#bank.values.get(t.address) ?? 0,
        quality: 'good' as const,
      })),
    );
  }
  write(tag: TagRef, value: SampleValue): Promise<void> {
    this.#bank.writes++;
    if (!this.#config.stuck) this.#bank.values.set(tag.address, value);
    return Promise.resolve();
  }
}

/** A driver module over named MemoryBanks. */
export function memoryModule(banks: Map<string, MemoryBank>): DriverModule {
  return {
    id: 'memory',
    version: '1',
    description: 'in-memory test device',
    configSchema: Type.Object(
      {
        bank: Type.Optional(Type.String()),
        fail: Type.Optional(Type.Union([Type.Literal('create'), Type.Literal('connect')])),
        stuck: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: false },
    ),
    checkAddress: (address) =>
      /^r\d+$/.test(address) ? { ok: true } : { ok: false, message: 'a register like r1' },
    create: (config) => {
      const c = config as MemoryDeviceConfig;
      if (c.fail === 'create') throw new Error('no such interface');
      const name = c.bank ?? 'default';
      let bank = banks.get(name);
      if (!bank) banks.set(name, (bank = new MemoryBank()));
      return new MemoryDevice(bank, c);
    },
  };
}

/**
 * The console's side of one gateway's management channel, over mqtt.js: pushes configs,
 * sends writes, and collects everything the gateway publishes.
 */
export class TestConsole {
  readonly acks: ConfigAck[] = [];
  readonly results: WriteResult[] = [];
  readonly reports: EdgeReport[] = [];
  readonly statuses: EdgeStatus[] = [];
  readonly logs: LogTailMessage[] = [];
  readonly data: UplinkMessage[] = [];
  /** Messages from the gateway that failed their schema. */
  readonly invalid: { topic: string; errors: unknown }[] = [];
  readonly #client: MqttClient;
  readonly #site: string;
  readonly #node: string;

  private constructor(client: MqttClient, site: string, node: string) {
    this.#client = client;
    this.#site = site;
    this.#node = node;
    client.on('message', (topic, payload) => {
      const t = parseTopic(topic);
      if (!t) return;
      if (t.kind === 'data') {
        const r = decodeUplink(payload);
        if (r.ok) this.data.push(r.message);
        return;
      }
      // Everything the gateway sends must pass the model's schema, or the test waiting for it fails.
      const keep = <T>(list: T[], r: { ok: true; message: T } | { ok: false; errors: unknown }): void => {
        if (r.ok) list.push(r.message);
        else this.invalid.push({ topic, errors: r.errors });
      };
      if (t.channel === 'ack') keep(this.acks, decodeConfigAck(payload));
      else if (t.channel === 'write-result') keep(this.results, decodeWriteResult(payload));
      else if (t.channel === 'metrics') keep(this.reports, decodeEdgeReport(payload));
      else if (t.channel === 'log') keep(this.logs, decodeLogTail(payload));
      else if (t.channel === 'status') this.statuses.push(JSON.parse(payload.toString()) as EdgeStatus);
    });
  }

  static async open(url: string, site: string, node: string): Promise<TestConsole> {
    const client = await connectAsync(url, { reconnectPeriod: 0 });
    const c = new TestConsole(client, site, node);
    await client.subscribeAsync(`ws/v1/${site}/${node}/#`, { qos: 1 });
    return c;
  }

  /** Publishes a push; `checksum` defaults to the right one. */
  async push(version: number, config: unknown, checksum = configChecksum(config)): Promise<void> {
    await this.#client.publishAsync(
      mgmtTopic(this.#site, this.#node, 'config'),
      JSON.stringify({ v: 1, version, checksum, config }),
      { qos: 1 },
    );
  }

  async pushRaw(payload: string): Promise<void> {
    await this.#client.publishAsync(mgmtTopic(this.#site, this.#node, 'config'), payload, { qos: 1 });
  }

  async ack(version: number, after = 0): Promise<ConfigAck> {
    return waitFor(() => this.acks.slice(after).find((a) => a.version === version), {
      message: `ack of config version ${version}`,
    });
  }

  async write(req: Omit<WriteRequest, 'v' | 'deadline'> & { deadline?: number }): Promise<WriteResult> {
    const before = this.results.filter((r) => r.id === req.id).length;
    await this.#client.publishAsync(
      mgmtTopic(this.#site, this.#node, 'write'),
      JSON.stringify({ v: 1, deadline: Date.now() + 10_000, ...req }),
      { qos: 1 },
    );
    return waitFor(() => this.results.filter((r) => r.id === req.id)[before], {
      message: `result of write ${req.id}`,
    });
  }

  /** Data messages of a group that carry `tag`. */
  valuesOf(group: string, tag: string): UplinkMessage[] {
    return this.data.filter((m) => m.group === group && tag in m.values);
  }

  close(): Promise<void> {
    return this.#client.endAsync();
  }
}
