/**
 * Our broker for the edge suite: `node --import tsx bench/suites/edge/broker.ts`, prints
 * `{"port":N}` once listening on 127.0.0.1, closes on SIGTERM/SIGINT.
 *
 * Default limits, 1 MiB packets included: the gateway's 30,000-tag catalog (~1.1 MB) goes out
 * in parts of at most `uplink.catalogPartBytes` (256 KiB) on mgmt/catalog/{part}, so it needs
 * no raised limit (until 2026-11-28 this broker took 16 MiB for a one-piece catalog).
 */
import { createBroker } from '@watershed/mqtt-broker';

const broker = createBroker({ sysIntervalMs: 0 });
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
