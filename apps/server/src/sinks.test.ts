import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { Alarm, dataTopic, encodeUplink } from '@watershed/model';
import { openEmbeddedStore } from '@watershed/store';
import { Value } from 'typebox/value';
import { connectAsync } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkServerConfig } from './check-config.js';
import { ServerConfig } from './config.js';
import { startServer } from './server.js';
import { serverSinkTypes, sinkAlarm } from './sinks.js';

const sinkTypeNames = serverSinkTypes({ clock: systemClock })
  .map((t) => t.type)
  .sort()
  .join(', ');

describe('server sinks', () => {
  let dataDir: string;
  let hook: http.Server;
  let hookUrl: string;
  const posted: unknown[] = [];

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ws-server-sinks-'));
    posted.length = 0;
    hook = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        posted.push(...(JSON.parse(body) as unknown[]));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => hook.close(() => resolve()));
    hook.closeAllConnections();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const config = (extra: Record<string, unknown>): ServerConfig =>
    loadConfig({
      schema: ServerConfig,
      value: { dataDir, mqtt: { host: '127.0.0.1', port: 0 }, api: { host: '127.0.0.1', port: 0 }, ...extra },
    });

  it('routes rule sink actions to configured http and tsdb sinks, with metrics at /metrics', async () => {
    const server = await startServer({
      config: config({
        sinks: [
          { id: 'hook', type: 'http', url: hookUrl, batch: { maxDelayMs: 10 } },
          { id: 'tsdb', type: 'tsdb', batch: { maxDelayMs: 10 } },
        ],
        rules: [
          {
            id: 'flow',
            sql: `SELECT 'works.gw.derived.flow_lps' AS point, payload.values.flow / 3.6 AS value, payload.ts AS ts
                  FROM "ws/v1/+/+/+/data"`,
            actions: [
              { type: 'sink', sink: 'hook' },
              { type: 'sink', sink: 'tsdb' },
            ],
          },
        ],
      }),
    });
    const client = await connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`);
    try {
      for (const [seq, flow] of [36, 72, 108].entries()) {
        await client.publishAsync(
          dataTopic('works', 'gw', 'g'),
          encodeUplink({ v: 1, node: 'gw', group: 'g', ts: 1_000 + seq, seq, values: { flow } }),
          { qos: 1 },
        );
      }
      await waitFor(() => posted.length === 3, { message: 'rows posted to the webhook' });
      expect(posted).toEqual([
        { point: 'works.gw.derived.flow_lps', value: 10, ts: 1000 },
        { point: 'works.gw.derived.flow_lps', value: 20, ts: 1001 },
        { point: 'works.gw.derived.flow_lps', value: 30, ts: 1002 },
      ]);
      const stored = await waitFor(async () => {
        const s = await server.store.series('works.gw.derived.flow_lps', { from: 0, to: 5_000 });
        return s.length === 3 ? s : undefined;
      });
      expect(stored.map((s) => s.value)).toEqual([10, 20, 30]);
      expect(server.sinks.metrics()['hook']).toMatchObject({ matched: 3, success: 3, queued: 0 });
      const text = await (await fetch(`${server.apiUrl}/metrics`)).text();
      expect(text).toContain('watershed_sink_rows_total{sink="hook",type="http",outcome="success"} 3');
      expect(text).toContain('watershed_sink_rows_total{sink="tsdb",type="tsdb",outcome="matched"} 3');
      const health = (await (await fetch(`${server.apiUrl}/healthz`)).json()) as {
        components: Record<string, unknown>;
      };
      expect(health.components['sink:hook']).toEqual({ ok: true, detail: 'up' });
    } finally {
      await client.endAsync();
      await server.close();
    }
  });

  it('on shutdown, drains sinks after the rules stop and before the store closes', async () => {
    const server = await startServer({
      config: config({
        // Rows wait for a batch that never fills and a delay that never ends: only close() sends them.
        sinks: [{ id: 'tsdb', type: 'tsdb', batch: { maxRows: 1_000, maxDelayMs: 600_000 } }],
        rules: [
          {
            id: 'level',
            sql: `SELECT 'works.gw.derived.level' AS point, payload.values.level AS value, payload.ts AS ts
                  FROM "ws/v1/+/+/+/data"`,
            actions: [{ type: 'sink', sink: 'tsdb' }],
          },
        ],
      }),
    });
    const client = await connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`);
    for (let seq = 0; seq < 5; seq++) {
      await client.publishAsync(
        dataTopic('works', 'gw', 'g'),
        encodeUplink({ v: 1, node: 'gw', group: 'g', ts: 2_000 + seq, seq, values: { level: seq } }),
        { qos: 1 },
      );
    }
    await client.endAsync();
    await waitFor(() => server.sinks.metrics()['tsdb']?.queued === 5, { message: 'rows queued in the sink' });
    await server.close();
    const store = await openEmbeddedStore({ dir: dataDir });
    try {
      const rows = await store.series('works.gw.derived.level', { from: 0, to: 10_000 });
      expect(rows.map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await store.close();
    }
  });

  it('turns sink alarms into platform alarms', () => {
    const raised = sinkAlarm(
      { sink: 'hook', kind: 'queue-full', active: true, dropped: 3, detail: 'full' },
      5,
    );
    const cleared = sinkAlarm(
      { sink: 'hook', kind: 'queue-full', active: false, dropped: 3, detail: 'ok' },
      9,
    );
    expect(Value.Check(Alarm, raised)).toBe(true);
    expect(Value.Check(Alarm, cleared)).toBe(true);
    expect(raised).toMatchObject({ id: 'sink:hook:queue-full', severity: 'major', active: true, value: 3 });
    expect(cleared).toMatchObject({ active: false, clearedAt: 9 });
  });

  it('names bad sink configs and unknown sink ids in rules by their path', () => {
    const bad = config({
      sinks: [
        { id: 'hook', type: 'http', url: hookUrl },
        { id: 'influx', type: 'influx-line', url: 'ftp://nope', precision: 'h' },
        { id: 'hook', type: 'kafka' },
        { id: 'store', type: 'tsdb' },
      ],
      rules: [{ id: 'r', sql: 'SELECT * FROM "t"', actions: [{ type: 'sink', sink: 'missing' }] }],
    });
    let message = '';
    try {
      checkServerConfig(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('sinks.1.url');
    expect(message).toContain('sinks.1.precision');
    expect(message).toContain(`sinks.2.type: a sink type (one of: ${sinkTypeNames}),`);
    expect(message).toContain('sinks.3.id');
    expect(message).toContain('rules.0.actions.0.sink');
  });
});
