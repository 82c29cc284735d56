import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { dataTopic, encodeUplink } from '@watershed/model';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { ServerConfig } from '../config.js';
import { startServer } from '../server.js';

describe('cloud rules', () => {
  it('run configured rules on uplink messages: derived points into the store, alerts republished', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ws-rules-'));
    const config = loadConfig({
      schema: ServerConfig,
      value: {
        dataDir,
        mqtt: { host: '127.0.0.1', port: 0 },
        api: { host: '127.0.0.1', port: 0 },
        rules: [
          {
            id: 'flow-lps',
            sql: `SELECT 'works.gw.derived.flow_lps' AS point, payload.values.flow / 3.6 AS value, payload.ts AS ts
                  FROM "ws/v1/+/+/+/data"`,
            actions: [{ type: 'sink', sink: 'store' }],
          },
          {
            id: 'high-flow',
            sql: `SELECT payload.node AS node, payload.values.flow AS flow FROM "ws/v1/+/+/+/data" WHERE payload.values.flow > 100`,
            actions: [{ type: 'republish', topic: 'alerts/${node}/high-flow', qos: 1 }],
          },
        ],
      },
    });
    const server = await startServer({ config });
    const client = await connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`);
    const alerts: { topic: string; body: unknown }[] = [];
    client.on('message', (topic, payload) => alerts.push({ topic, body: JSON.parse(payload.toString()) }));
    try {
      await client.subscribeAsync('alerts/#', { qos: 1 });
      for (const [seq, flow] of [36, 360].entries()) {
        await client.publishAsync(
          dataTopic('works', 'gw', 'g'),
          encodeUplink({ v: 1, node: 'gw', group: 'g', ts: 1_000 + seq, seq, values: { flow } }),
          { qos: 1 },
        );
      }
      await waitFor(() => alerts.length === 1, { message: 'alert not republished' });
      expect(alerts[0]).toEqual({ topic: 'alerts/gw/high-flow', body: { node: 'gw', flow: 360 } });
      const stored = await waitFor(async () => {
        const s = await server.store.series('works.gw.derived.flow_lps', { from: 0, to: 5_000 });
        return s.length === 2 ? s : undefined;
      });
      expect(stored.map((s) => [s.ts, s.value])).toEqual([
        [1000, 10],
        [1001, 100],
      ]);
      expect(server.rules.metrics('high-flow')).toMatchObject({
        matched: 2,
        passed: 1,
        noResult: 1,
        failed: 0,
      });
    } finally {
      await client.endAsync();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a rule that does not compile, naming the rule, line and column', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ws-rules-'));
    const config = loadConfig({
      schema: ServerConfig,
      value: {
        dataDir,
        mqtt: { host: '127.0.0.1', port: 0 },
        api: { host: '127.0.0.1', port: 0 },
        rules: [{ id: 'bad', sql: 'SELECT FROM', actions: [] }],
      },
    });
    const err = await startServer({ config }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err?.code).toBe('WS_ERR_CONFIG_INVALID');
    expect(err?.message).toMatch(/rules\.0\.sql: valid rule SQL — line 1, column \d+/);
    rmSync(dataDir, { recursive: true, force: true });
  });
});
