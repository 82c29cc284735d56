/**
 * `npm run bench -- rules`: the command, its options and the process ownership around the suite.
 * Kept here rather than in bench/main.ts so the runner only registers it.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import type { BenchReport } from '../../lib/report.js';
import { RULES_PARTS, runRulesSuite, type RulesPart } from './index.js';
import { RulesProcesses } from './processes.js';

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function integer(value: string): number {
  const n = positive(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function parts(value: string): RulesPart[] {
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(RULES_PARTS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown part(s) ${unknown.join(', ')}; known: ${RULES_PARTS.join(', ')}`);
  return names as RulesPart[];
}

export function rulesCommand(
  machine: () => string,
  print: (report: BenchReport) => void,
  log: (line: string) => void,
): Command {
  return new Command('rules')
    .description(
      'Rule engine: QoS 1 uplinks (10 values) from mqtt.js publishers through our broker, a rule with ' +
        'WHERE and a computed field, one row per message into the embedded store (rules-throughput, ' +
        'rules-loss); a 1-minute tumbling average over 30,000 tags updated every second (window-30k-rss).',
    )
    .addOption(new Option('--duration <s>', 'seconds of publishing').argParser(positive).default(60))
    .addOption(
      new Option('--window-duration <s>', 'seconds of the window scenario (a full minute and more)')
        .argParser(integer)
        .default(70),
    )
    .addOption(new Option('--publishers <n>', 'publisher processes').argParser(integer).default(2))
    .addOption(new Option('--clients <n>', 'mqtt.js clients per publisher').argParser(integer).default(8))
    .addOption(
      new Option('--inflight <n>', 'unacknowledged QoS 1 messages per client').argParser(integer).default(64),
    )
    .addOption(
      new Option('--tags <n>', 'distinct tags of the window scenario').argParser(integer).default(30_000),
    )
    .addOption(
      new Option('--parts <list>', `comma-separated: ${RULES_PARTS.join(', ')}`)
        .argParser(parts)
        .default([...RULES_PARTS]),
    )
    .option('--cpu-prof <file>', 'write a V8 CPU profile of the broker+engine+store process to <file>')
    .action(
      async (o: {
        duration: number;
        windowDuration: number;
        publishers: number;
        clients: number;
        inflight: number;
        tags: number;
        parts: RulesPart[];
        cpuProf?: string;
      }) => {
        const procs = new RulesProcesses();
        const killAll = (): void => procs.killAll();
        // No broker or publisher outlives the run, whatever ends it.
        process.once('exit', killAll);
        for (const signal of ['SIGINT', 'SIGTERM'] as const)
          process.once(signal, () => {
            killAll();
            process.exit(130);
          });
        const cores = availableParallelism();
        if (cores < 2) log('one core only: server and publishers share it');
        try {
          const report = await runRulesSuite(
            {
              durationS: o.duration,
              windowS: o.windowDuration,
              publishers: o.publishers,
              clientsPerPublisher: o.clients,
              inflight: o.inflight,
              tags: o.tags,
              parts: o.parts,
              serverCpu: 0,
              loadCpu: cores >= 2 ? 1 : 0,
              ...(o.cpuProf ? { cpuProfFile: o.cpuProf } : {}),
              machine: machine(),
              log,
            },
            procs,
          );
          print(report);
        } finally {
          killAll();
        }
      },
    );
}
