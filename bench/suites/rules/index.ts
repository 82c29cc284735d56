/**
 * `npm run bench -- rules` (issue 4, "Must show"): QoS 1 uplinks from mqtt.js publishers through
 * our broker → a rule with a WHERE and a computed field → one stored row per message in the
 * embedded store, counted in the database; and a 1-minute tumbling average over 30,000 tags
 * updated every second, its RSS. No peer runs this pipeline here (EMQX is not installed, and
 * eKuiper is not a broker), so the targets are absolute.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { result, type BenchReport, type BenchResult } from '../../lib/report.js';
import type { RulesProcesses } from './processes.js';

export const RULES_PARTS = ['throughput', 'window'] as const;
export type RulesPart = (typeof RULES_PARTS)[number];

export interface RulesOptions {
  readonly durationS: number;
  readonly windowS: number;
  readonly publishers: number;
  readonly clientsPerPublisher: number;
  readonly inflight: number;
  readonly tags: number;
  readonly parts: readonly RulesPart[];
  /** Core of the broker + engine + store process, and of the load generators. */
  readonly serverCpu: number;
  readonly loadCpu: number;
  readonly cpuProfFile?: string;
  readonly machine: string;
  readonly log: (line: string) => void;
}

const TARGET_RATE = 100_000;
const TARGET_RSS = 500 * 1024 * 1024;

interface Drained {
  stored: number;
  committed: number;
  failed: number;
  firstAt: number;
  lastCommitAt: number;
  rss: number;
  cpuS: number;
  rule: { matched: number; passed: number; failed: number; lastError?: string };
}

interface Published {
  published: number;
  acked: number;
  firstAt: number;
  lastAckAt: number;
  cpuS: number;
}

export async function runRulesSuite(o: RulesOptions, procs: RulesProcesses): Promise<BenchReport> {
  const results: BenchResult[] = [];
  if (o.parts.includes('throughput')) results.push(...(await throughput(o, procs)));
  if (o.parts.includes('window')) results.push(await windowRss(o, procs));
  return { bench: 'rules', machine: o.machine, results };
}

async function throughput(o: RulesOptions, procs: RulesProcesses): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-bench-rules-'));
  try {
    const server = procs.fork(
      'server.ts',
      [dir],
      o.serverCpu,
      o.cpuProfFile ? { WATERSHED_BENCH_CPU_PROFILE: o.cpuProfFile } : {},
    );
    const { port } = await server.next<{ port: number }>((m) => m.ready === true, 60_000);
    // Poll times an hour back, so no retention cut-off applies and rollup buckets are past.
    const base = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
    const pubs = Array.from({ length: o.publishers }, (_, i) =>
      procs.spawn(
        'publisher.ts',
        [port, i, o.clientsPerPublisher, o.durationS, o.inflight, base].map(String),
        o.loadCpu,
      ),
    );
    await Promise.all(pubs.map((p) => p.next((m) => m.connected !== undefined, 60_000)));
    o.log(
      `rules: ${o.publishers}×${o.clientsPerPublisher} QoS 1 publishers connected; publishing for ${o.durationS} s`,
    );
    const done = pubs.map((p) =>
      p.next<Published>((m) => m.published !== undefined, (o.durationS + 120) * 1000),
    );
    for (const p of pubs) p.proc.stdin?.write('go\n');
    const sent = await Promise.all(done);
    const published = sent.reduce((n, s) => n + s.published, 0);
    const acked = sent.reduce((n, s) => n + s.acked, 0);
    o.log(`rules: ${published} published, ${acked} acknowledged; draining the store`);
    server.proc.send({ cmd: 'drain', expected: published });
    const d = await server.next<Drained>((m) => m.drained === true, 300_000);
    server.proc.send({ cmd: 'stop' });
    await Promise.all([server.stop(), ...pubs.map((p) => p.stop())]);

    const seconds = (d.lastCommitAt - d.firstAt) / 1000;
    const rate = seconds > 0 ? d.stored / seconds : 0;
    const firstPub = Math.min(...sent.map((s) => s.firstAt));
    const lastAck = Math.max(...sent.map((s) => s.lastAckAt));
    const ackRate = acked / ((lastAck - firstPub) / 1000);
    const loss = published - d.stored;
    const pubCpuS = sent.reduce((n, s) => n + s.cpuS, 0);
    const us = (cpuS: number): string => ((cpuS * 1e6) / Math.max(1, published)).toFixed(1);
    const detail =
      `${published.toLocaleString('en')} msgs of 10 values, ${o.publishers}×${o.clientsPerPublisher} mqtt.js clients, ` +
      `inflight ${o.inflight}; first row to last commit ${seconds.toFixed(1)} s; broker acked ` +
      `${Math.round(ackRate).toLocaleString('en')}/s; CPU per message: server ${us(d.cpuS)} µs ` +
      `(= ${Math.round(published / Math.max(d.cpuS, 1e-9)).toLocaleString('en')} msg per server CPU-second), ` +
      `publishers ${us(pubCpuS)} µs; server RSS ${(d.rss / 2 ** 20).toFixed(0)} MiB`;
    return [
      result({
        name: 'rules-throughput',
        unit: 'msg/s',
        ours: Math.round(rate),
        target: { kind: 'ours', better: 'higher', bound: TARGET_RATE },
        problems: loss !== 0 ? [`${loss} messages not stored`] : [],
        note: `${detail}; no peer (none runs this pipeline here)`,
      }),
      result({
        name: 'rules-loss',
        unit: 'messages',
        ours: loss,
        target: { kind: 'ours', better: 'lower', bound: 0 },
        note:
          `published ${published}, stored ${d.stored} (count(*) in SQLite), rule matched ${d.rule.matched} ` +
          `passed ${d.rule.passed} failed ${d.rule.failed}` +
          (d.rule.lastError ? ` (${d.rule.lastError})` : '') +
          (d.failed > 0 ? `, sink failed ${d.failed}` : ''),
      }),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function windowRss(o: RulesOptions, procs: RulesProcesses): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-bench-window-'));
  try {
    o.log(`window: ${o.tags} tags, 1-minute tumbling average, ${o.windowS} s`);
    const child = procs.spawn('window-rss.ts', [String(o.tags), String(o.windowS), dir], o.serverCpu);
    let maxGroups = 0;
    child.onMessage((m) => {
      if (typeof m.groups === 'number') maxGroups = Math.max(maxGroups, m.groups);
    });
    const d = await child.next<{
      peak: number;
      sent: number;
      passed: number;
      failed: number;
      emitted: number;
    }>((m) => m.done === true, (o.windowS + 120) * 1000);
    await child.stop();
    return result({
      name: 'window-30k-rss',
      unit: 'B',
      ours: d.peak,
      target: { kind: 'ours', better: 'lower', bound: TARGET_RSS },
      problems: d.failed > 0 ? [`${d.failed} messages failed`] : [],
      note:
        `peak RSS over ${o.windowS} s, ${o.tags.toLocaleString('en')} tags × 1/s, up to ${maxGroups} open groups, ` +
        `${d.sent.toLocaleString('en')} messages, ${d.emitted} window rows, checkpoints every 10 s`,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
