/**
 * Our broker as a benchmark target: `node --import tsx bench/brokers/watershed.ts [port]`.
 * Prints `{"port":N}` once listening on 127.0.0.1 and closes cleanly on SIGTERM/SIGINT, so a
 * `--cpu-prof` profile is written on the way out.
 */
import { createBroker } from '@watershed/mqtt-broker';

// $SYS status topics off: the peers publish theirs to nobody here, and they are not the load.
const broker = createBroker({ sysIntervalMs: 0 });
const listener = await broker.listenTcp({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
process.stdout.write(`${JSON.stringify({ port: listener.port })}\n`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await broker.close();
  process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());
