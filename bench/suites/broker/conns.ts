import { RawClient, closeAll, openMany } from '../../lib/client.js';
import { CpuMeter, cpuSeconds, rssBytes } from '../../lib/proc.js';
import { sleep, type Scenario, type ScenarioContext, type Measurement } from './scenario.js';

/** Handshakes in flight while connecting: below every broker's listen backlog. */
const PARALLEL = 200;

/**
 * Memory per connection: the broker's RSS growth (VmRSS) over N idle MQTT connections, divided
 * by N; with `subscribe`, each connection also holds one subscription of its own.
 */
export function connectionMemoryScenario(subscribe: boolean): Scenario {
  const name = subscribe ? 'sub-conn-rss' : 'idle-conn-rss';
  return {
    id: name,
    results: [
      {
        name,
        unit: 'B/conn',
        better: 'lower',
        target: subscribe ? { kind: 'none' } : { kind: 'ours', better: 'lower', bound: 4096 },
      },
    ],
    run: async (ctx) => ({ [name]: await runConnections(ctx, subscribe) }),
  };
}

/**
 * RSS once it stops moving: three readings 200 ms apart within 64 KiB, or after 3 s. A Node
 * broker first collects its garbage (see RunningBroker.collectGarbage), so the reading does not
 * depend on when its last collection happened to run.
 */
async function settledRss(ctx: ScenarioContext): Promise<number> {
  const pid = ctx.pid;
  ctx.collectGarbage();
  await sleep(200);
  const deadline = Date.now() + 3000;
  let prev = rssBytes(pid);
  let steady = 0;
  while (Date.now() < deadline && steady < 2) {
    await sleep(200);
    const now = rssBytes(pid);
    steady = Math.abs(now - prev) < 64 * 1024 ? steady + 1 : 0;
    prev = now;
  }
  return prev;
}

async function runConnections(ctx: ScenarioContext, subscribe: boolean): Promise<Measurement> {
  const clients: RawClient[] = [];
  const open = async (id: string, i: number): Promise<RawClient> => {
    const c = await RawClient.open(ctx.port, id);
    if (subscribe) {
      try {
        await c.subscribe(`water/plant${i % 100}/meter${i}/cmd`, 0);
      } catch (err) {
        c.close();
        throw err;
      }
    }
    return c;
  };
  try {
    // One connection first, then closed: one-time lazy set-up on the first CONNECT (mqtt-packet
    // builds a 65,536-entry packet-id cache, ~6 MiB, on first use) is not a per-connection cost.
    (await open('bench-warmup', 0)).close();
    const before = await settledRss(ctx);
    const cpu = new CpuMeter();
    const broker0 = cpuSeconds(ctx.pid);
    const t0 = performance.now();
    const failure = await openMany(ctx.connections, PARALLEL, (i) => open(`bench-idle-${i}`, i), clients);
    const elapsed = (performance.now() - t0) / 1000;
    const generatorCpu = cpu.percent();
    const brokerCpu = ((cpuSeconds(ctx.pid) - broker0) / elapsed) * 100;
    const after = await settledRss(ctx);
    const count = clients.length;
    const problems: string[] = [];
    const dropped = clients.filter((c) => c.droppedByBroker).length;
    if (dropped > 0) problems.push(`${dropped} connections dropped`);
    if (count === 0) problems.push(`no connection: ${failure?.message ?? 'unknown'}`);
    const note =
      `${count} conns in ${elapsed.toFixed(1)} s, RSS ${mib(before)} → ${mib(after)} MiB` +
      (failure ? `; stopped at ${count} of ${ctx.connections}: ${failure.message}` : '');
    ctx.log(`  ${note}`);
    return {
      value: count > 0 ? (after - before) / count : Number.NaN,
      problems,
      generatorCpu,
      brokerCpu,
      note,
    };
  } finally {
    closeAll(clients);
  }
}

const mib = (b: number): string => (b / 1048576).toFixed(1);
