import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past the live heap before its next full collection,
 * in percent, for `watershed up`. The reference city runs the simulator, 30 gateways and the
 * server in one process: ~335 MB stays live (flat over minutes, measured after forced
 * collections), while a few MB/s of short-lived samples, messages and store batches outlive the
 * young generation and die in old space. Left to its own heuristics V8 let that garbage pile up
 * to ~950 MB of heap (RSS 1.2 GB) before collecting it, which read as a leak (issue 7). Bounding
 * the growth keeps the peak near the live heap at the cost of more frequent full collections;
 * see docs/benchmarks.md (sim section) for the figures.
 */
export const UP_HEAP_GROWTH_PERCENT = 30;

/**
 * Sets V8's heap growing factor to 1 + percent/100 for the rest of the process (0 leaves V8's
 * own heuristics). A process-wide setting on purpose: it belongs to the command that composes
 * the process, not to any package, and it is read by V8 at every full collection, so setting it
 * after start-up takes effect from the next one.
 */
export function boundHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${Math.round(percent)}`);
}
