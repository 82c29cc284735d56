/**
 * The gateway under test, in its own process (pinned by the suite with taskset):
 * `node --import tsx bench/suites/edge/gateway.ts <config.json>`. Starts it with `startEdge`
 * (the shipped driver list, default buffer settings but the file), then prints one JSON line of
 * `GatewaySnapshot` a second on stdout, and closes the gateway cleanly on SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { startEdge, type EdgeConfigInput } from '@watershed/edge';
import type { GatewaySnapshot } from './snapshot.js';
import { snapshotOf } from './snapshot.js';

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as EdgeConfigInput;
const edge = await startEdge({ config });
const started = Date.now();

const report = (): void => {
  const snap: GatewaySnapshot = snapshotOf(edge.health(), Date.now() - started);
  process.stdout.write(`${JSON.stringify(snap)}\n`);
};
report();
const timer = setInterval(report, 1000);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  await edge.close();
  process.exit(0);
};
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());
