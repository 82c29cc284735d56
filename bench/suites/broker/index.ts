import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerProcesses, BrokerKind, RunningBroker } from '../../lib/brokers.js';
import { openFileLimits } from '../../lib/proc.js';
import { result, type BenchReport, type BenchResult } from '../../lib/report.js';
import { connectionMemoryScenario } from './conns.js';
import { fanInScenario } from './fanin.js';
import { fanOutScenario } from './fanout.js';
import { latencyScenario } from './latency.js';
import type { Measurement, ResultSpec, Scenario } from './scenario.js';

/** Every scenario of the broker suite, in the order they run (issue #3). */
export const BROKER_SCENARIOS: readonly Scenario[] = [
  fanInScenario(0),
  fanInScenario(1),
  fanOutScenario,
  latencyScenario(0),
  latencyScenario(1),
  connectionMemoryScenario(false),
  connectionMemoryScenario(true),
];

export interface BrokerSuiteOptions {
  /** Measured seconds per scenario (after a 0.5 s warm-up). */
  durationS: number;
  /** Scenario ids or result names to run; all when empty. */
  only: string[];
  peers: BrokerKind[];
  /** Connections for the memory scenarios (issue #3: 19,000), capped by file limits. */
  connections: number;
  /** CPU of the broker under test; the generator runs on another one. */
  brokerCpu: number;
  /** Write a CPU profile of our broker per scenario into this directory (<scenario>.cpuprofile). */
  cpuProfDir?: string;
  machine: string;
  log: (line: string) => void;
}

/** Scenarios selected by `--only` (a scenario id or any of its result names). */
export function selectScenarios(only: string[]): Scenario[] {
  if (only.length === 0) return [...BROKER_SCENARIOS];
  const unknown = only.filter(
    (n) => !BROKER_SCENARIOS.some((s) => s.id === n || s.results.some((r) => r.name === n)),
  );
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}`);
  return BROKER_SCENARIOS.filter((s) => only.some((n) => s.id === n || s.results.some((r) => r.name === n)));
}

interface Run {
  label: string;
  figures: Record<string, Measurement>;
}

/**
 * Runs each selected scenario against a fresh process of our broker and then of each peer,
 * same load, same pinning, and reports ours against each peer.
 */
export async function runBrokerSuite(
  opts: BrokerSuiteOptions,
  processes: BrokerProcesses,
): Promise<BenchReport> {
  const scenarios = selectScenarios(opts.only);
  const connections = Math.min(opts.connections, openFileLimits().soft - 500);
  if (connections < opts.connections)
    opts.log(`connections capped at ${connections} by this process's open-file limit`);
  const results: BenchResult[] = [];
  if (opts.cpuProfDir) mkdirSync(opts.cpuProfDir, { recursive: true });
  for (const scenario of scenarios) {
    const runs = new Map<BrokerKind, Run>();
    for (const kind of ['watershed', ...opts.peers] as BrokerKind[]) {
      runs.set(kind, await runOne(scenario, kind, connections, opts, processes));
    }
    for (const spec of scenario.results) results.push(...linesFor(spec, runs, opts.peers));
  }
  return { bench: 'broker', machine: opts.machine, results };
}

async function runOne(
  scenario: Scenario,
  kind: BrokerKind,
  connections: number,
  opts: BrokerSuiteOptions,
  processes: BrokerProcesses,
): Promise<Run> {
  let broker: RunningBroker | undefined;
  try {
    broker = await processes.launch(kind, {
      cpu: opts.brokerCpu,
      nofile: connections + 1000,
      ...(kind === 'watershed' &&
        opts.cpuProfDir && { cpuProfile: join(opts.cpuProfDir, `${scenario.id}.cpuprofile`) }),
    });
    opts.log(`${scenario.id} → ${broker.label} (pid ${broker.pid}, port ${broker.port})`);
    const figures = await scenario.run({
      port: broker.port,
      pid: broker.pid,
      durationMs: opts.durationS * 1000,
      connections,
      log: opts.log,
      collectGarbage: () => broker?.collectGarbage(),
    });
    for (const [name, m] of Object.entries(figures))
      opts.log(
        `  ${name}: ${m.value.toFixed(3)}  broker ${m.brokerCpu.toFixed(0)}% gen ${m.generatorCpu.toFixed(0)}%` +
          (m.problems.length ? `  PROBLEMS: ${m.problems.join(', ')}` : ''),
      );
    return { label: broker.label, figures };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    opts.log(`${scenario.id} → ${kind}: failed: ${message}`);
    const failed: Measurement = {
      value: Number.NaN,
      problems: [`error: ${message}`],
      generatorCpu: 0,
      brokerCpu: 0,
    };
    return {
      label: broker?.label ?? kind,
      figures: Object.fromEntries(scenario.results.map((r) => [r.name, failed])),
    };
  } finally {
    await broker?.stop();
  }
}

/**
 * CPU of both sides and, for rates, the rate per broker CPU-second: on a machine shared with
 * other work a broker may get only part of its core, and this figure is what it did with it.
 */
function cpuText(label: string, m: Measurement, unit: string): string {
  const problems = m.problems.length ? ` [${m.problems.join(', ')}]` : '';
  const perCpu =
    unit.endsWith('/s') && m.brokerCpu > 0
      ? ` (${Math.round(m.value / (m.brokerCpu / 100)).toLocaleString('en-US')}/CPU-s)`
      : '';
  return `${label}: broker ${Math.round(m.brokerCpu)}%${perCpu} gen ${Math.round(m.generatorCpu)}%${problems}`;
}

/** One line per peer; the peer named by a ratio target carries the target, the others are "info". */
function linesFor(spec: ResultSpec, runs: Map<BrokerKind, Run>, peers: BrokerKind[]): BenchResult[] {
  const ours = runs.get('watershed')!.figures[spec.name]!;
  const oursNote = [cpuText('ours', ours, spec.unit), ...(ours.note ? [ours.note] : [])];
  const lines: BenchResult[] = [];
  for (const peer of peers) {
    const run = runs.get(peer)!;
    const theirs = run.figures[spec.name]!;
    const target = spec.targetPeer && spec.targetPeer !== peer ? { kind: 'none' as const } : spec.target;
    lines.push(
      result({
        name: spec.name,
        unit: spec.unit,
        ours: ours.value,
        peer: { label: run.label, value: theirs.value },
        target,
        problems: ours.problems,
        note: [...oursNote, cpuText(peer, theirs, spec.unit)].join('; '),
      }),
    );
  }
  if (peers.length === 0 || (spec.targetPeer && !peers.includes(spec.targetPeer))) {
    const missing =
      spec.targetPeer && !peers.includes(spec.targetPeer) ? [`peer ${spec.targetPeer} not run`] : [];
    lines.push(
      result({
        name: spec.name,
        unit: spec.unit,
        ours: ours.value,
        target: spec.target,
        problems: [...ours.problems, ...missing],
        note: oursNote.join('; '),
      }),
    );
  }
  return lines;
}
