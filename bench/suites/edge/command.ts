/**
 * `npm run bench -- edge`: the command, its options and the process ownership around the suite.
 * Kept here rather than in bench/main.ts so the runner only registers it.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import type { BenchReport } from '../../lib/report.js';
import { ScriptProcesses } from './children.js';
import { EDGE_PARTS, runEdgeSuite, type EdgePart } from './index.js';
import { DEFAULT_LAYOUT } from './plan.js';

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

function fraction(value: string): number {
  const n = positive(value);
  if (n > 1) throw new InvalidArgumentError('expected a fraction in (0, 1]');
  return n;
}

function parts(value: string): EdgePart[] {
  const names = value.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(EDGE_PARTS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown part(s) ${unknown.join(', ')}; known: ${EDGE_PARTS.join(', ')}`);
  return names as EdgePart[];
}

export function edgeCommand(
  machine: () => string,
  print: (report: BenchReport) => void,
  log: (line: string) => void,
): Command {
  return new Command('edge')
    .description(
      'Edge gateway: 30,000 float32 tags on 30 simulated Modbus TCP PLCs polled at 1 s, QoS 1 to our ' +
        'broker; poll lateness, RSS and CPU of the gateway (pinned to one core), then the drain of a ' +
        '10-minute store-and-forward backlog while polling goes on.',
    )
    .addOption(
      new Option('--duration <s>', 'measured seconds of the live part').argParser(positive).default(60),
    )
    .addOption(
      new Option('--warmup <s>', 'seconds of polling before measuring').argParser(positive).default(10),
    )
    .addOption(
      new Option('--backlog <s>', 'outage seconds whose backlog the replay drains')
        .argParser(integer)
        .default(600),
    )
    .addOption(
      new Option('--devices <n>', 'simulated PLCs').argParser(integer).default(DEFAULT_LAYOUT.devices),
    )
    .addOption(
      new Option('--tags-per-device <n>', 'float32 tags per PLC')
        .argParser(integer)
        .default(DEFAULT_LAYOUT.tagsPerDevice),
    )
    .addOption(
      new Option('--change <fraction>', 'share of values moving each second; < 1 adds a deadband')
        .argParser(fraction)
        .default(1),
    )
    .addOption(
      new Option('--in-flight <n>', 'Modbus requests outstanding per device (driver maxInFlight)')
        .argParser(integer)
        .default(DEFAULT_LAYOUT.inFlight),
    )
    .addOption(
      new Option('--parts <list>', `comma-separated: ${EDGE_PARTS.join(', ')}`)
        .argParser(parts)
        .default([...EDGE_PARTS]),
    )
    .action(
      async (o: {
        duration: number;
        warmup: number;
        backlog: number;
        devices: number;
        tagsPerDevice: number;
        change: number;
        inFlight: number;
        parts: EdgePart[];
      }) => {
        const scripts = new ScriptProcesses();
        const killAll = (): void => scripts.killAll();
        // No device server, gateway or broker outlives the run, whatever ends it.
        process.once('exit', killAll);
        for (const signal of ['SIGINT', 'SIGTERM'] as const)
          process.once(signal, () => {
            killAll();
            process.exit(130);
          });
        const cores = availableParallelism();
        if (cores < 2) log('one core only: gateway, devices and broker share it; CPU figures do not hold');
        try {
          const report = await runEdgeSuite(
            {
              layout: {
                ...DEFAULT_LAYOUT,
                devices: o.devices,
                tagsPerDevice: o.tagsPerDevice,
                changeFraction: o.change,
                inFlight: o.inFlight,
              },
              durationS: o.duration,
              warmupS: o.warmup,
              backlogS: o.backlog,
              parts: o.parts,
              gatewayCpu: 0,
              otherCpu: cores >= 2 ? 1 : 0,
              machine: machine(),
              log,
            },
            scripts,
          );
          print(report);
        } finally {
          killAll();
        }
      },
    );
}
