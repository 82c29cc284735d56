import type { Logger } from '@watershed/common';
import type { SimConfig } from '../config.js';
import { startMeterBus, type MeterBus } from './meter-bus.js';
import { MeterPopulation } from './population.js';

/** The household meters of one district behind their CJ/T 188 concentrator. */
export interface DistrictMeters {
  readonly district: string;
  readonly population: MeterPopulation;
  readonly bus: MeterBus;
}

/** Meter numbers of the `concentrators` start here, clear of the single `meters` population's. */
const FIRST_ADDRESS = 20_000_001;

/**
 * Starts one concentrator per configured district population, on `concentratorPort` + index
 * (or its own port). Meter numbers run on consecutively across concentrators, so every meter of
 * the city has its own address. `started` gets each as soon as it listens, so a caller can close
 * those open when a later one fails.
 */
export async function startConcentrators(
  opts: Pick<SimConfig, 'concentrators' | 'concentratorPort' | 'host' | 'meters' | 'districts'>,
  ctx: { seed: number; simStart: number; logger: Logger; started: (m: DistrictMeters) => void },
): Promise<void> {
  let first = FIRST_ADDRESS;
  const epochMs = Date.parse(`${opts.meters?.startDate ?? '2026-01-01'}T00:00:00Z`);
  for (const [i, c] of opts.concentrators.entries()) {
    const population = new MeterPopulation({
      count: c.count,
      seed: ctx.seed,
      start: ctx.simStart,
      firstAddress: first,
      ...(opts.meters?.dailyM3PerMeter !== undefined ? { dailyM3PerMeter: opts.meters.dailyM3PerMeter } : {}),
    });
    first += c.count;
    const base = opts.concentratorPort;
    const bus = await startMeterBus({
      population,
      host: opts.host,
      port: c.port ?? (base === 0 ? 0 : base + i),
      simTime: () => population.time,
      epochMs,
      logger: ctx.logger.child({ concentrator: c.district, meters: c.count }),
    });
    ctx.started({ district: c.district, population, bus });
  }
}
