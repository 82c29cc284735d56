/**
 * Our broker as a benchmark target: `node --import tsx bench/brokers/watershed.ts [port]`.
 * Prints `{"port":N}` once listening on 127.0.0.1 and closes cleanly on SIGTERM/SIGINT.
 * With WATERSHED_BENCH_CPU_PROFILE=<file> it profiles from the moment it listens until it is
 * told to stop, so module loading under tsx (seconds on a busy machine) stays out of the profile.
 */
import { createBroker } from '@watershed/mqtt-broker';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

// $SYS status topics off: the peers publish theirs to nobody here, and they are not the load.
const broker = createBroker({ sysIntervalMs: 0 });
const listener = await broker.listenTcp({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
const profileFile = process.env.WATERSHED_BENCH_CPU_PROFILE;
const profiler = profileFile ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  // 250 µs between samples: thousands of samples per second of load, little overhead.
  await profiler.post('Profiler.setSamplingInterval', { interval: 250 });
  await profiler.post('Profiler.start');
}
process.stdout.write(`${JSON.stringify({ port: listener.port })}\n`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  if (profiler && profileFile) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    profiler.disconnect();
  }
  await broker.close();
  process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());

// Memory breakdown on demand (kill -USR2 PID), after a full GC when run with --expose-gc:
// tells V8 heap from native (sockets, buffers) when reading the per-connection RSS figure.
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  process.stderr.write(
    `${JSON.stringify({ memoryUsage: process.memoryUsage(), clients: broker.stats().clients })}\n`,
  );
});
