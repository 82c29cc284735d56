/**
 * `node --import tsx apps/sim/src/measure-city.ts <scenario> <seconds>`: runs a shipped scenario
 * in real time and prints, as its last stdout line, one JSON object with what the simulator cost
 * — the sim benchmark (bench/suites/sim) runs it as a child so its CPU and memory are its own.
 * Measures from the first tick after start-up (warm-up and server start excluded): points served
 * per second, CPU in % of one core, peak RSS, and tick lag (how late a tick's readings were served
 * after the second they belong to: timer lateness plus the hydraulic and signal step).
 */
import { silentLogger } from '@watershed/common';
import { loadScenario } from './scenario/scenarios.js';
import { startSimulator } from './simulator.js';

const [name = 'reference', secondsText = '60'] = process.argv.slice(2);
const seconds = Number(secondsText);
const config = loadScenario(name);
const started = performance.now();
const sim = await startSimulator({
  ...config,
  // No broker or HTTP receiver here: the NB-IoT fleets need one each; they are measured elsewhere.
  vendorMeters: [],
  modbusPort: 0,
  opcuaPort: 0,
  iec104Port: 0,
  s7Port: 0,
  concentratorPort: 0,
  logger: silentLogger(),
});
const startupMs = performance.now() - started;
const points = sim.plants.reduce((n, p) => n + p.tags.length, 0);
const meters = sim.concentrators.reduce((n, c) => n + c.addresses.length, 0);
const speed = config.speed;
let ticks = 0;
let maxLagMs = 0;
let lagSum = 0;
let peakRss = process.memoryUsage().rss;
let first: { wall: number; sim: number; cpu: NodeJS.CpuUsage } | undefined;
const done = new Promise<void>((resolve) => {
  sim.onTick(({ simTime, wallTime }) => {
    if (!first) {
      first = { wall: wallTime, sim: simTime, cpu: process.cpuUsage() };
      return;
    }
    ticks++;
    const due = first.wall + ((simTime - first.sim) / speed) * 1000;
    const lag = Math.max(0, Date.now() - due);
    maxLagMs = Math.max(maxLagMs, lag);
    lagSum += lag;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (Date.now() - first.wall >= seconds * 1000) resolve();
  });
});
await done;
const elapsedS = (Date.now() - first!.wall) / 1000;
const cpu = process.cpuUsage(first!.cpu);
await sim.close();
process.stdout.write(
  `${JSON.stringify({
    scenario: name,
    plants: sim.plants.length,
    points,
    meters,
    ticks,
    elapsedS,
    startupMs: Math.round(startupMs),
    pointsPerS: Math.round((points * ticks) / elapsedS),
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / (elapsedS * 1000)) * 1000) / 10,
    rssBytes: peakRss,
    maxLagMs: Math.round(maxLagMs),
    meanLagMs: Math.round(lagSum / Math.max(1, ticks)),
  })}\n`,
);
