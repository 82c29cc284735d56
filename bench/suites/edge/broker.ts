/**
 * Our broker for the edge suite: `node --import tsx bench/suites/edge/broker.ts`, prints
 * `{"port":N}` once listening on 127.0.0.1, closes on SIGTERM/SIGINT.
 *
 * Its maximum packet size is raised from the 1 MiB default to 16 MiB: the gateway's retained
 * birth status carries the whole tag catalog, and 30,000 tags make it about 1.08 MB
 * (`{"name":"t0001","dataType":"float"},` is 36 bytes a tag), so a default broker drops the
 * gateway on every connect and nothing is ever delivered (see docs/benchmarks.md, Edge suite).
 */
import { createBroker } from '@watershed/mqtt-broker';

const broker = createBroker({ sysIntervalMs: 0, limits: { maxPacketSize: 16 * 1024 * 1024 } });
const listener = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ port: listener.port })}\n`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await broker.close();
  process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());
