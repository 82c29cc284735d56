/**
 * Our broker as a benchmark target: `node --import tsx bench/brokers/watershed.ts [port]`.
 * Prints `{"port":N}` once listening on 127.0.0.1 and closes cleanly on SIGTERM/SIGINT.
 * With WATERSHED_BENCH_CPU_PROFILE=<file> it profiles from the moment it listens until it is
 * told to stop, so module loading under tsx (seconds on a busy machine) stays out of the profile.
 */
import { createBroker } from '@watershed/mqtt-broker';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';

// $SYS status topics off: the peers publish theirs to nobody here, and they are not the load.
const broker = createBroker({ sysIntervalMs: 0 });
const listener = await broker.listenTcp({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
// Start-up (tsx transpiling every module) leaves tens of MB of garbage; collected here, it is not
// collected by a long full GC in the middle of the first measured seconds (a 40 ms pause seen in
// latency-qos0). A broker that has run for a while is past this. Same in aedes.ts.
(globalThis as { gc?: () => void }).gc?.();
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

// WATERSHED_BENCH_DIAG=1: the broker's own event-loop delay and GC pauses, printed to stderr on
// stop — tells a broker-side latency tail from one the generator or the machine adds.
const diag = process.env.WATERSHED_BENCH_DIAG ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
const gc = { count: 0, totalMs: 0, maxMs: 0 };
const gcObserver = diag
  ? new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        gc.count++;
        gc.totalMs += e.duration;
        gc.maxMs = Math.max(gc.maxMs, e.duration);
      }
    })
  : undefined;
diag?.enable();
gcObserver?.observe({ entryTypes: ['gc'] });

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  if (diag) {
    diag.disable();
    gcObserver?.disconnect();
    const ms = (ns: number): number => Math.round(ns / 1e3) / 1e3;
    const loop = { p50: ms(diag.percentile(50)), p99: ms(diag.percentile(99)), max: ms(diag.max) };
    process.stderr.write(`${JSON.stringify({ loopDelayMs: loop, gc })}\n`);
  }
  if (profiler && profileFile) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    profiler.disconnect();
  }
  await broker.close();
  process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());

// A full GC on SIGUSR2 (run with --expose-gc) before each memory reading, as for every Node
// broker here; with WATERSHED_BENCH_DIAG also a memory breakdown (V8 heap vs native) on stderr.
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  if (!diag) return;
  process.stderr.write(
    `${JSON.stringify({ memoryUsage: process.memoryUsage(), clients: broker.stats().clients })}\n`,
  );
});
