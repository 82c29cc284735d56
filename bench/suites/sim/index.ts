/**
 * The sim suite: the reference deployment (apps/sim/scenarios/reference.yaml) run in real time
 * in a child process, which reports what it cost (apps/sim/src/measure-city.ts). Targets from
 * issue 7: one core (< 100 %), RSS < 1 GB; points per second and tick lag are reported with
 * targets of their own (every point every second; a tick served within the second it belongs to).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from '../../lib/report.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PROBE = 'apps/sim/src/measure-city.ts';

export interface SimSuiteOptions {
  scenario: string;
  durationS: number;
  machine: string;
  log: (line: string) => void;
}

interface Measured {
  scenario: string;
  plants: number;
  points: number;
  meters: number;
  ticks: number;
  elapsedS: number;
  startupMs: number;
  pointsPerS: number;
  cpuPercent: number;
  rssBytes: number;
  maxLagMs: number;
  meanLagMs: number;
}

/** Runs the probe as `node --import tsx`, its stderr passed through, and parses its last line. */
async function measure(o: SimSuiteOptions): Promise<Measured> {
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE, o.scenario, String(o.durationS)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    for (const line of d.split('\n')) if (line.trim() && !line.includes('NODE-OPCUA')) o.log(line);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{'))
    throw new Error(`sim probe exited ${String(code)}: ${out.slice(-500)}`);
  return JSON.parse(last) as Measured;
}

export async function runSimSuite(o: SimSuiteOptions): Promise<BenchReport> {
  o.log(`sim: ${o.scenario} scenario in real time for ${o.durationS} s (start-up not counted)`);
  const m = await measure(o);
  const note = `${m.plants} plants, ${m.points} points, ${m.meters} CJ/T 188 meters, ${m.ticks} ticks in ${m.elapsedS.toFixed(1)} s, start-up ${(m.startupMs / 1000).toFixed(1)} s`;
  return {
    bench: 'sim',
    machine: o.machine,
    results: [
      {
        name: 'points-per-s',
        unit: 'points/s',
        ours: m.pointsPerS,
        target: `ours>=${Math.floor(m.points * 0.98)}`,
        pass: m.pointsPerS >= m.points * 0.98,
        note,
      },
      { name: 'sim-cpu', unit: '%', ours: m.cpuPercent, target: 'ours<=100', pass: m.cpuPercent <= 100 },
      { name: 'sim-rss', unit: 'B', ours: m.rssBytes, target: 'ours<=1000000000', pass: m.rssBytes <= 1e9 },
      {
        name: 'max-lag-ms',
        unit: 'ms',
        ours: m.maxLagMs,
        target: 'ours<=1000',
        pass: m.maxLagMs <= 1000,
        note: `mean ${m.meanLagMs} ms`,
      },
    ],
  };
}
