import { describeSinkContract } from '@watershed/sink-core/testing';
import type { SinkRow } from '@watershed/sink-core';
import { natsJetStreamSink } from './sink-type.js';
import { startNatsServer } from './testing/nats-server.js';
import { readStream } from './testing/stream-reader.js';

// Each test gets its own nats-server; "peer down" is a SIGKILL, "back" a restart on the same
// port and store directory.
describeSinkContract(
  'nats-jetstream',
  async () => {
    const server = await startNatsServer();
    return {
      sinkType: natsJetStreamSink,
      config: {
        servers: [server.url],
        stream: { name: 'CONTRACT', subjects: ['ws.>'] },
        topic: 'ws/contract/${point}',
        publishTimeoutMs: 2000,
      },
      // Outside the stream's subjects: the server could never store it.
      permanentlyBadRow: { topic: 'elsewhere/x', payload: 'x' },
      peer: {
        async received(): Promise<SinkRow[]> {
          return (await readStream(server.url, 'CONTRACT')).map((m) => m.json() as SinkRow);
        },
        stop: () => server.kill(),
        start: () => server.restart(),
      },
      cleanup: () => server.close(),
    };
  },
  { timeoutMs: 30_000 },
);
