import { CpuMeter, cpuSeconds } from '../../lib/proc.js';
import { WARMUP_MS, sleep, type ScenarioContext } from './scenario.js';

export interface Interval {
  /** Deliveries counted in the measured interval. */
  count: number;
  elapsedMs: number;
  /** Longest stretch without a delivery while something was outstanding. */
  maxGapMs: number;
  generatorCpu: number;
  brokerCpu: number;
}

const SAMPLE_MS = 50;

/**
 * Lets a running load warm up, then measures deliveries, CPU of both sides and the longest
 * delivery gap over `ctx.durationMs`. The load itself runs on the event loop meanwhile.
 */
export async function measureInterval(
  ctx: ScenarioContext,
  delivered: () => number,
  outstanding: () => boolean,
): Promise<Interval> {
  await sleep(WARMUP_MS);
  const cpu = new CpuMeter();
  const broker0 = cpuSeconds(ctx.pid);
  const count0 = delivered();
  const t0 = performance.now();
  let lastCount = count0;
  let gap = 0;
  let maxGapMs = 0;
  // Sampling, not a clock read per delivery: the hot path stays a counter increment.
  const sampler = setInterval(() => {
    const c = delivered();
    if (c === lastCount && outstanding()) gap += SAMPLE_MS;
    else gap = 0;
    lastCount = c;
    if (gap > maxGapMs) maxGapMs = gap;
  }, SAMPLE_MS);
  try {
    await sleep(ctx.durationMs);
  } finally {
    clearInterval(sampler);
  }
  const elapsedMs = performance.now() - t0;
  return {
    count: delivered() - count0,
    elapsedMs,
    maxGapMs,
    generatorCpu: cpu.percent(),
    brokerCpu: ((cpuSeconds(ctx.pid) - broker0) / (elapsedMs / 1000)) * 100,
  };
}
