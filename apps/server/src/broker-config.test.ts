import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, loadConfig } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { dataTopic, encodeUplink } from '@watershed/model';
import { hashPassword } from '@watershed/mqtt-broker';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { checkServerConfig } from './check-config.js';
import { ServerConfig } from './config.js';
import { startServer, type RunningServer } from './server.js';

const dirs: string[] = [];
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function config(extra: Record<string, unknown>): ServerConfig {
  const dataDir = mkdtempSync(join(tmpdir(), 'ws-server-broker-'));
  dirs.push(dataDir);
  return loadConfig({
    schema: ServerConfig,
    value: { dataDir, api: { host: '127.0.0.1', port: 0 }, ...extra },
  });
}

describe('the embedded broker from the server config', () => {
  it('takes listeners, users and ACL from the broker section: anonymous refused, users confined by the ACL', async () => {
    server = await startServer({
      config: config({
        broker: {
          sysIntervalMs: 0,
          users: [{ username: 'gw', passwordHash: await hashPassword('pw', { N: 1024, r: 8, p: 1 }) }],
          acl: [{ permission: 'allow', action: 'publish', topic: 'ws/v1/+/%u/#' }],
          listeners: [
            { name: 'plants', type: 'tcp', host: '127.0.0.1', port: 0, acl: { default: 'deny' } },
            { name: 'browsers', type: 'ws', host: '127.0.0.1', port: 0, acl: { default: 'deny' } },
          ],
        },
      }),
    });
    expect(server.mqttListeners.map((l) => [l.name, l.type])).toEqual([
      ['plants', 'tcp'],
      ['browsers', 'ws'],
    ]);
    const url = `mqtt://127.0.0.1:${server.mqttPort}`;
    await expect(connectAsync(url, { reconnectPeriod: 0 })).rejects.toThrow(/Not authorized/i);
    const gw = await connectAsync(url, {
      reconnectPeriod: 0,
      username: 'gw',
      password: 'pw',
      protocolVersion: 5,
    });
    try {
      await gw.publishAsync(
        dataTopic('works', 'gw', 'g'),
        encodeUplink({ v: 1, node: 'gw', group: 'g', ts: 1_000, seq: 0, values: { level: 3.2 } }),
        { qos: 1 },
      );
      await expect(
        gw.publishAsync(
          dataTopic('works', 'other', 'g'),
          encodeUplink({ v: 1, node: 'other', group: 'g', ts: 1_000, seq: 0, values: { level: 1 } }),
          { qos: 1 },
        ),
      ).rejects.toThrow();
      const stored = await waitFor(async () => {
        const s = await server!.store.series('works.gw.g.level', { from: 0, to: 5_000 });
        return s.length === 1 ? s : undefined;
      });
      expect(stored[0]).toMatchObject({ ts: 1_000, value: 3.2 });
    } finally {
      await gw.endAsync();
    }
  });

  it('without a broker section, allows anonymous clients on a loopback mqtt listener and logs that it does', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    server = await startServer({
      config: config({ mqtt: { host: '127.0.0.1', port: 0 } }),
      logger: createLogger({ level: 'info', destination }),
    });
    const client = await connectAsync(`mqtt://127.0.0.1:${server.mqttPort}`, { reconnectPeriod: 0 });
    await client.endAsync();
    expect(lines.some((l) => l.includes('anonymous MQTT clients allowed (loopback only)'))).toBe(true);
  });

  it('refuses a bad broker section naming the path', async () => {
    await expect(
      startServer({
        config: config({
          broker: {
            listeners: [{ type: 'tcp', host: '127.0.0.1', port: 0, auth: { sources: [{ type: 'jwt' }] } }],
          },
        }),
      }),
    ).rejects.toThrow(/listeners\.0\.auth\.sources\.0: exactly one of secret, publicKeyFile, jwksUrl/);
  });

  it('config check names broker problems under broker., before anything listens', () => {
    const bad = config({
      broker: {
        listeners: [
          {
            type: 'tls',
            host: '127.0.0.1',
            port: 0,
            certFile: '/nonexistent/cert.pem',
            keyFile: '/nonexistent/key.pem',
          },
        ],
      },
    });
    expect(() => checkServerConfig(bad)).toThrow(/broker\.listeners\.0\.certFile/);
    expect(() => checkServerConfig(config({}))).not.toThrow();
  });
});
