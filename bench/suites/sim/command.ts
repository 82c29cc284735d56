/**
 * `npm run bench -- sim`: the command and its options. Kept here rather than in bench/main.ts so
 * the runner only registers it.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BenchReport } from '../../lib/report.js';
import { runSimSuite } from './index.js';

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

export function simCommand(
  machine: () => string,
  print: (report: BenchReport) => void,
  log: (line: string) => void,
): Command {
  return new Command('sim')
    .description(
      'City simulator: the reference deployment (26 plants, 30,987 points, 3,600 CJ/T 188 meters on ' +
        'Modbus TCP, OPC UA, IEC 104 and S7) in real time; points served per second, CPU, RSS, tick lag.',
    )
    .addOption(new Option('--duration <s>', 'measured seconds of real time').argParser(positive).default(600))
    .addOption(new Option('--scenario <name>', 'shipped scenario (apps/sim/scenarios)').default('reference'))
    .action(async (o: { duration: number; scenario: string }) => {
      print(await runSimSuite({ scenario: o.scenario, durationS: o.duration, machine: machine(), log }));
    });
}
