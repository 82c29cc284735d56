/**
 * The simulated meters served behind a CJ/T 188 concentrator on TCP, as a utility's edge gateway
 * meets them: `host:port`, 14-digit meter addresses, 901FH readings, A017H valve commands.
 * The meters' clock shows the simulated time (start of the simulated day 0 = `epochMs`), so
 * `meter_time` moves with the simulation's speed.
 */
import type { Clock, Logger } from '@watershed/common';
import { startCjt188Concentrator, type Cjt188Concentrator } from '@watershed/driver-cjt188';
import type { MeterPopulation } from './population.js';

export interface MeterBusOptions {
  population: MeterPopulation;
  host: string;
  port: number;
  /** Simulated time now, seconds since 00:00 of day 0. */
  simTime(): number;
  /** Calendar date of simulated day 0 at 00:00, ms epoch (the meters keep local time). */
  epochMs: number;
  logger: Logger;
}

export interface MeterBus {
  readonly host: string;
  readonly port: number;
  readonly addresses: readonly string[];
  close(): Promise<void>;
}

export async function startMeterBus(opts: MeterBusOptions): Promise<MeterBus> {
  const meterClock: Clock = {
    now: () => opts.epochMs + Math.floor(opts.simTime()) * 1000,
    // The concentrator only reads the time; timers are never asked of this clock.
    setTimeout: () => unsupported(),
    clearTimeout: () => undefined,
    setInterval: () => unsupported(),
    clearInterval: () => undefined,
  };
  const server: Cjt188Concentrator = await startCjt188Concentrator({
    host: opts.host,
    port: opts.port,
    meters: opts.population.meters,
    clock: meterClock,
    logger: opts.logger,
    onValve: (address, open) => {
      opts.logger.info({ meter: address, open }, 'meter valve command');
    },
  });
  return {
    host: server.host,
    port: server.port,
    addresses: opts.population.addresses,
    close: () => server.close(),
  };
}

function unsupported(): never {
  throw new Error('the meter clock only tells the time');
}
