/**
 * Benchmark runner: `npm run bench -- <suite> [options]`. Each suite prints a readable table
 * and, as its very last line, one JSON report (DESIGN.md, "Benchmarks"). Progress goes to
 * stderr so stdout stays the table and the JSON line.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { BrokerProcesses, DEFAULT_PEERS, PEERS, type BrokerKind } from './lib/brokers.js';
import { topSelfTime, type CpuProfile } from './lib/cpuprofile.js';
import { formatTable, jsonLine, type BenchReport } from './lib/report.js';
import { BROKER_SCENARIOS, runBrokerSuite } from './suites/broker/index.js';
import { runStoreSuite, STORE_ADAPTERS, type StoreAdapter } from './suites/store/index.js';
import { edgeCommand } from './suites/edge/command.js';
import { rulesCommand } from './suites/rules/command.js';
import { simCommand } from './suites/sim/command.js';
import { consoleCommand } from './suites/console/command.js';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s !== 'none');
}

function peerList(value: string): BrokerKind[] {
  const peers = list(value);
  const unknown = peers.filter((p) => !(PEERS as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`unknown peer(s) ${unknown.join(', ')}; known: ${PEERS.join(', ')}`);
  return peers as BrokerKind[];
}

function machine(): string {
  const cores = availableParallelism();
  return `${cores} core${cores === 1 ? '' : 's'}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
}

/**
 * Pins this process (the load generator, all its threads) to `cpu`, so the broker under test
 * has the other core to itself as far as the two of them are concerned.
 */
function pinSelf(cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

function print(report: BenchReport): void {
  process.stdout.write(`${formatTable(report)}\n${jsonLine(report)}\n`);
}

const program = new Command('bench')
  .description('Watershed benchmark suites: ours against peers on this machine, one JSON line at the end.')
  .showHelpAfterError();

program
  .command('broker')
  .description(
    'MQTT broker: ours vs Mosquitto and Aedes, each in a fresh process per scenario, broker pinned to ' +
      'one core and the load generator to the other.\nScenarios: ' +
      BROKER_SCENARIOS.map((s) => s.results.map((r) => r.name).join(', ')).join(', '),
  )
  .addOption(new Option('--duration <s>', 'measured seconds per scenario').argParser(positive).default(5))
  .addOption(
    new Option('--only <names>', 'scenarios or result names, comma-separated').argParser(list).default([]),
  )
  .addOption(
    new Option(
      '--peers <list>',
      'peers beside ours: mosquitto, aedes, net-floor (a bare Node socket server, for the memory scenarios) or none',
    )
      .argParser(peerList)
      .default([...DEFAULT_PEERS]),
  )
  .addOption(
    new Option('--connections <n>', 'connections in the memory scenarios')
      .argParser(positive)
      .default(19_000),
  )
  .option(
    '--cpu-prof <dir>',
    'write a V8 CPU profile of our broker for each scenario under <dir>/<scenario>/',
  )
  .action(
    async (o: {
      duration: number;
      only: string[];
      peers: BrokerKind[];
      connections: number;
      cpuProf?: string;
    }) => {
      const processes = new BrokerProcesses();
      // No broker outlives the run, whatever ends it.
      process.once('exit', () => processes.killAll());
      for (const signal of ['SIGINT', 'SIGTERM'] as const)
        process.once(signal, () => {
          processes.killAll();
          process.exit(130);
        });
      // Described before pinning: pinned, this process would see one core.
      const machineText = machine();
      const cores = availableParallelism();
      if (cores >= 2) pinSelf(1);
      else log('one core only: broker and generator share it; ratios still hold, absolute figures do not');
      try {
        const report = await runBrokerSuite(
          {
            durationS: o.duration,
            only: o.only,
            peers: o.peers,
            connections: Math.floor(o.connections),
            brokerCpu: 0,
            ...(o.cpuProf && { cpuProfDir: o.cpuProf }),
            machine: machineText,
            log,
          },
          processes,
        );
        print(report);
      } finally {
        processes.killAll();
      }
    },
  );

program
  .command('store')
  .description(
    'Store: embedded ingest, PostgreSQL sink vs plain COPY, latest of 30k points, 1-day series ' +
      'downsampled, 1-year trend from rollups, bytes per sample; PostgreSQL is a throwaway cluster.',
  )
  .addOption(new Option('--scale <x>', 'scales the row counts').argParser(positive).default(1))
  .addOption(
    new Option('--adapters <list>', `comma-separated: ${STORE_ADAPTERS.join(', ')}`)
      .argParser(list)
      .default([...STORE_ADAPTERS]),
  )
  .action(async (o: { scale: number; adapters: string[] }) => {
    const report = await runStoreSuite({
      scale: o.scale,
      adapters: o.adapters.filter((a): a is StoreAdapter => (STORE_ADAPTERS as string[]).includes(a)),
      machine: machine(),
      log,
    });
    print(report);
  });

program.addCommand(edgeCommand(machine, print, log));
program.addCommand(rulesCommand(machine, print, log));
program.addCommand(simCommand(machine, print, log));
program.addCommand(consoleCommand(machine, print, log));

program
  .command('profile-summary')
  .description('Top self-time functions of V8 .cpuprofile files (from --cpu-prof)')
  .argument('<files...>')
  .option('--top <n>', 'functions to list', (v) => Math.floor(positive(v)), 15)
  .action((files: string[], o: { top: number }) => {
    for (const file of files) {
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      const summary = topSelfTime(profile, o.top);
      process.stdout.write(
        `${file}: busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms; self time, % of busy:\n`,
      );
      for (const t of summary.top)
        process.stdout.write(
          `  ${t.percent.toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(7)} ms  ${t.fn}\n`,
        );
    }
  });

await program.parseAsync(process.argv);
