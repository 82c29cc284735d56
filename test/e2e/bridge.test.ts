import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import {
  createRegisterBank,
  encodeValue,
  startModbusTcpServer,
  writeRegisters,
} from '@watershed/driver-modbus';
import { startEdge } from '@watershed/edge';
import { ServerConfig, startServer } from '@watershed/server';
import { startMosquitto } from '@watershed/sink-mqtt-bridge/testing';
import { describe, expect, it } from 'vitest';
// Until the server composes its bridges itself (server.ts, the lead's), the test starts them
// beside it on the server's own broker, exactly as the composition root will.
import { startBridges } from '../../apps/server/src/bridges/index.js';
import { latest } from '../support/api.js';

// The plant network reaches the office only through the firewall, outbound from the office: a
// plant gateway publishes to the plant's broker (Debian's Mosquitto), the office server's
// ingress bridge pulls `ws/v1/#` from it, and the samples land in the office store — and keep
// landing after the plant broker was killed and restarted.
describe('plant network → office network through an ingress bridge', () => {
  it('stores a plant gateway’s samples pulled from the plant broker, across a plant broker restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ws-bridge-e2e-'));
    const plantBroker = await startMosquitto();
    const config = loadConfig({
      schema: ServerConfig,
      value: {
        dataDir,
        mqtt: { host: '127.0.0.1', port: 0 },
        api: { host: '127.0.0.1', port: 0 },
        bridges: {
          ingress: [
            {
              id: 'plant7',
              url: plantBroker.url,
              clientId: 'office-bridge-plant7',
              subscriptions: [{ filter: 'ws/v1/#', qos: 1 }],
              reconnect: { initialMs: 50, maxMs: 500 },
            },
          ],
        },
      },
    });
    const server = await startServer({ config });
    const bridges = startBridges({
      config: config.bridges,
      broker: server.broker,
      clock: systemClock,
      logger: silentLogger(),
    });
    const bank = createRegisterBank();
    writeRegisters(bank, 'holding', 0, encodeValue('uint16', 42));
    const plc = await startModbusTcpServer({ host: '127.0.0.1', port: 0, banks: new Map([[1, bank]]) });
    const edge = await startEdge({
      config: {
        site: 'plant7',
        node: 'gw',
        uplink: { url: plantBroker.url, keepaliveS: 30, reconnectMs: 200, qos: 1 },
        devices: [
          {
            name: 'plc',
            driver: 'modbus-tcp',
            config: {
              host: '127.0.0.1',
              port: plc.port,
              timeoutMs: 300,
              backoffMinMs: 50,
              backoffMaxMs: 300,
            },
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
    const id = 'plant7.gw.g.level';
    try {
      await bridges.ready();
      await waitFor(async () => (await latest(server, id))?.value === 42, {
        timeoutMs: 15_000,
        message: 'first plant sample in the office store',
      });

      await plantBroker.kill();
      await waitFor(() => bridges.health()[0]?.connected === false, {
        message: 'bridge sees the plant link down',
      });
      writeRegisters(bank, 'holding', 0, encodeValue('uint16', 43));
      await plantBroker.restart();

      await waitFor(async () => (await latest(server, id))?.value === 43, {
        timeoutMs: 20_000,
        message: 'plant samples flow again after the plant broker restarted',
      });
      // The link's state is reported by its connect event, which may come a moment after the
      // first messages of the new session have been handed over: await it rather than race it.
      await waitFor(() => bridges.health()[0]?.connected === true, {
        message: 'bridge reports the plant link up again',
      });
      expect(bridges.health()[0]).toMatchObject({ id: 'plant7', connected: true, dropped: 0 });
      expect(bridges.health()[0]!.messagesIn).toBeGreaterThan(1);
    } finally {
      await edge.close();
      await plc.close();
      // Cleanup order: bridges before the broker they publish into.
      await bridges.close();
      await server.close();
      await plantBroker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
