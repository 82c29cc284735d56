/**
 * The `window-30k-rss` scenario in its own process:
 * `node --expose-gc --import tsx bench/suites/rules/window-rss.ts <tags> <durationS> <checkpointDir>`.
 * A 1-minute tumbling average over `tags` distinct tags, each updated once a second (one message
 * per tag per second, in 10 slices spread over the second, through the engine's MessageSource
 * contract), with window checkpoints to files every 10 s. Prints one JSON line per second
 * (`{"t":s,"rss":B,"heap":B,"groups":n}`, read after a full GC) and a last `{"done":true,…}`.
 */
import {
  FileCheckpointStore,
  createRuleEngine,
  type MessageSource,
  type SourceMessage,
} from '@watershed/rule-engine';

const [tags, durationS] = process.argv.slice(2, 4).map(Number) as [number, number];
const checkpointDir = process.argv[4];
if (!checkpointDir) throw new Error('usage: window-rss.ts <tags> <durationS> <checkpointDir>');

const subscribers: ((m: SourceMessage) => void)[] = [];
const source: MessageSource = {
  subscribe(_filter, onMessage) {
    subscribers.push(onMessage);
    return () => undefined;
  },
  publish: () => undefined,
};
let emitted = 0;
const engine = createRuleEngine({
  source,
  checkpoint: { store: new FileCheckpointStore(checkpointDir), intervalMs: 10_000 },
  sinks: {
    get: () => ({
      write: (rows) => {
        emitted += rows.length;
        return Promise.resolve();
      },
    }),
  },
});
engine.addRule({
  id: 'avg-1m',
  sql: `SELECT topic, avg(payload.v) AS mean, count(*) AS n FROM "tags/#" GROUP BY topic, TUMBLINGWINDOW(mi, 1)`,
  actions: [{ type: 'sink', sink: 'x' }],
});

const topics = Array.from({ length: tags }, (_, i) => `tags/s${Math.floor(i / 1000)}/t${i % 1000}`);
const enc = new TextEncoder();
let second = 0;
let slice = 0;
let sent = 0;
let peak = 0;
const SLICES = 10;
const per = Math.ceil(tags / SLICES);
const tick = setInterval(() => {
  const from = slice * per;
  for (let i = from; i < Math.min(tags, from + per); i++) {
    const msg: SourceMessage = {
      topic: topics[i]!,
      payload: enc.encode(`{"v":${(i % 100) + second * 0.01}}`),
      qos: 1,
      retain: false,
      receivedAt: Date.now(),
    };
    for (const s of subscribers) s(msg);
    sent++;
  }
  if (++slice === SLICES) {
    slice = 0;
    second++;
    // A full GC before each reading (run with --expose-gc), as for every memory figure in these
    // suites: the figure is what the windows retain, not how lazily V8 returns garbage.
    (globalThis as { gc?: () => void }).gc?.();
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    const info = engine.getRule('avg-1m');
    const heap = process.memoryUsage().heapUsed;
    process.stdout.write(`${JSON.stringify({ t: second, rss, heap, groups: info?.openGroups ?? 0 })}\n`);
    if (second >= durationS) void finish();
  }
}, 1000 / SLICES);

async function finish(): Promise<void> {
  clearInterval(tick);
  await engine.checkpoint();
  const m = engine.metrics('avg-1m');
  process.stdout.write(
    `${JSON.stringify({ done: true, peak, sent, passed: m.passed, failed: m.failed, emitted })}\n`,
  );
  await engine.close();
  process.exit(0);
}
