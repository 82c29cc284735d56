import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import {
  createRegisterBank,
  encodeValue,
  startModbusTcpServer,
  writeRegisters,
} from '@watershed/driver-modbus';
import { startEdge } from '@watershed/edge';
import { ServerConfig, startServer } from '@watershed/server';
import { describe, expect, it } from 'vitest';
import { latest } from '../support/api.js';

// A PLC that goes away must show up as bad-quality samples and a link state, and polling must
// resume by itself when it comes back — through the real edge, broker, store and API.
describe('device outage', () => {
  it('reports bad quality while the PLC is down and recovers when it returns', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ws-outage-'));
    const server = await startServer({
      config: loadConfig({
        schema: ServerConfig,
        value: { dataDir, mqtt: { host: '127.0.0.1', port: 0 }, api: { host: '127.0.0.1', port: 0 } },
      }),
    });
    const bank = createRegisterBank();
    writeRegisters(bank, 'holding', 0, encodeValue('uint16', 42));
    let plc = await startModbusTcpServer({ host: '127.0.0.1', port: 0, banks: new Map([[1, bank]]) });
    const port = plc.port;
    const edge = await startEdge({
      config: {
        site: 'works',
        node: 'gw',
        uplink: { url: `mqtt://127.0.0.1:${server.mqttPort}`, keepaliveS: 30, reconnectMs: 200, qos: 1 },
        devices: [
          {
            name: 'plc',
            driver: 'modbus-tcp',
            config: { host: '127.0.0.1', port, timeoutMs: 300, backoffMinMs: 50, backoffMaxMs: 300 },
            groups: [
              {
                name: 'g',
                intervalMs: 100,
                tags: [{ name: 'level', address: '1!400001', dataType: 'uint16' }],
              },
            ],
          },
        ],
      },
    });
    const id = 'works.gw.g.level';
    try {
      await waitFor(async () => (await latest(server, id))?.value === 42, { message: 'first value' });

      await plc.close();
      const down = await waitFor(
        async () => {
          const s = await latest(server, id);
          return s?.quality === 'bad' ? s : undefined;
        },
        { message: 'bad quality after the PLC went away' },
      );
      expect(down.value).toBeNull();
      expect(down.reason).toMatch(/^WS_ERR_/);
      expect(edge.health().devices['plc']?.state).not.toBe('connected');

      writeRegisters(bank, 'holding', 0, encodeValue('uint16', 43));
      plc = await startModbusTcpServer({ host: '127.0.0.1', port, banks: new Map([[1, bank]]) });
      await waitFor(
        async () => {
          const s = await latest(server, id);
          return s?.quality === 'good' && s.value === 43;
        },
        { timeoutMs: 15_000, message: 'polling did not resume after the PLC came back' },
      );
      expect(edge.health().devices['plc']?.state).toBe('connected');
    } finally {
      await edge.close();
      await plc.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
