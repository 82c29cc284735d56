/**
 * The system under test of the rules benchmark, in its own process:
 * `node --import tsx bench/suites/rules/server.ts <dataDir>` (forked with an IPC channel).
 * Our broker on 127.0.0.1, the rule engine on the broker's message hook, and a `store` sink
 * writing each output row to the embedded store in `<dataDir>`. IPC protocol:
 * → `{ready:true, port}`; ← `{cmd:'drain', expected}` → `{drained:…}` once the sink has committed
 * `expected` rows or made no progress for 10 s; ← `{cmd:'stop'}` closes everything and exits.
 * With WATERSHED_BENCH_CPU_PROFILE=<file> it profiles from listen to drain.
 */
import { createBroker } from '@watershed/mqtt-broker';
import { brokerMessageSource, createRuleEngine, type SinkRegistry } from '@watershed/rule-engine';
import { openEmbeddedStore, type SampleRow } from '@watershed/store';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { RULE_SQL, toSample } from './plan.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: server.ts <dataDir>');
const send = (m: unknown): void => void process.send?.(m);

const broker = createBroker({ sysIntervalMs: 0 });
// Commits are durable (synchronous=FULL: an fsync per transaction, on this thread): batches of up
// 100 ms or 20,000 rows keep that to ~10 fsyncs a second whatever the rate.
const store = await openEmbeddedStore({ dir, maxBatch: 20_000, flushIntervalMs: 100 });

let committed = 0;
let failed = 0;
let firstAt = 0;
let lastCommitAt = 0;
const sinks: SinkRegistry = {
  get: (id) =>
    id === 'store'
      ? {
          async write(rows) {
            if (firstAt === 0) firstAt = Date.now();
            const samples: SampleRow[] = rows.map(toSample);
            try {
              await store.writeSamples(samples);
            } catch (err) {
              failed += samples.length;
              throw err;
            }
            committed += samples.length;
            lastCommitAt = Date.now();
          },
        }
      : undefined,
};
const engine = createRuleEngine({ source: brokerMessageSource(broker), sinks });
engine.addRule({ id: 'uplink-flow', sql: RULE_SQL, actions: [{ type: 'sink', sink: 'store' }] });
const listener = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
(globalThis as { gc?: () => void }).gc?.();

const profileFile = process.env.WATERSHED_BENCH_CPU_PROFILE;
const profiler = profileFile ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.setSamplingInterval', { interval: 250 });
  await profiler.post('Profiler.start');
}
send({ ready: true, port: listener.port });
const cpuStart = process.cpuUsage();

async function drain(expected: number): Promise<void> {
  let seen = committed;
  let stalledSince = Date.now();
  while (committed + failed < expected) {
    await new Promise((r) => setTimeout(r, 50));
    if (committed !== seen) {
      seen = committed;
      stalledSince = Date.now();
    } else if (Date.now() - stalledSince > 10_000) break;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  if (profiler && profileFile) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
  }
  // Counted in the database, not trusted from the sink's own tally.
  const db = new Database(join(dir!, 'watershed.db'), { readonly: true });
  const stored = (db.prepare('SELECT count(*) AS n FROM samples').get() as { n: number }).n;
  db.close();
  const m = engine.metrics('uplink-flow');
  send({
    drained: true,
    stored,
    committed,
    failed,
    firstAt,
    lastCommitAt,
    rss: process.memoryUsage().rss,
    cpuS,
    rule: { matched: m.matched, passed: m.passed, failed: m.failed, lastError: m.lastError?.reason },
    action: m.actions[0],
  });
}

process.on('message', (msg: { cmd: string; expected?: number }) => {
  if (msg.cmd === 'drain') void drain(msg.expected ?? 0);
  if (msg.cmd === 'stop')
    void (async () => {
      await engine.close();
      await broker.close();
      await store.close();
      process.exit(0);
    })();
});
