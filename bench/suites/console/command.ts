/**
 * `npm run bench -- console`: the command and its options. Kept here rather than in
 * bench/main.ts so the runner only registers it.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BenchReport } from '../../lib/report.js';
import { runConsoleSuite } from './index.js';

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

export function consoleCommand(
  machine: () => string,
  print: (report: BenchReport) => void,
  log: (line: string) => void,
): Command {
  return new Command('console')
    .description(
      'Console: the platform as `watershed up` starts it and its built console in Chromium; cold ' +
        'first loads of the overview until live values show, then how often a shown value refreshes.',
    )
    .addOption(new Option('--loads <n>', 'cold first loads measured').argParser(integer).default(5))
    .addOption(
      new Option('--duration <s>', 'seconds of watching live values').argParser(positive).default(30),
    )
    .action(async (o: { loads: number; duration: number }) => {
      print(await runConsoleSuite({ loads: o.loads, durationS: o.duration, machine: machine(), log }));
    });
}
