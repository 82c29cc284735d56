import { describeSinkContract } from '@watershed/sink-core/testing';
import type { SinkRow } from '@watershed/sink-core';
import { mqttBridgeSink } from './sink-type.js';
import { RemoteBroker } from './testing/remote-broker.js';

// Each test gets its own Mosquitto; "peer down" is a SIGKILL, "back" a restart on the same port
// from its persistence snapshot, with the checker's session (see RemoteBroker).
describeSinkContract(
  'mqtt-bridge',
  async () => {
    const remote = await RemoteBroker.start('office/#');
    return {
      sinkType: mqttBridgeSink,
      config: {
        url: remote.url,
        clientId: 'plant7-bridge',
        topic: 'plant7/${point}',
        mappings: [{ from: 'plant7/#', to: 'office/plant7/#' }],
        connectTimeoutMs: 1000,
        publishTimeoutMs: 2000,
      },
      // No topic can be made for a row without `point`.
      permanentlyBadRow: { seq: 0, value: 1 },
      peer: {
        async received(): Promise<SinkRow[]> {
          await remote.sync('office/sync');
          return remote.received.map((m) => JSON.parse(m.payload.toString()) as SinkRow);
        },
        stop: () => remote.kill(),
        start: () => remote.restart(),
      },
      cleanup: () => remote.close(),
    };
  },
  { timeoutMs: 30_000 },
);
