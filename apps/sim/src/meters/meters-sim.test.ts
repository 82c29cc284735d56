import { silentLogger, systemClock } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { cjt188Driver, type Cjt188Driver } from '@watershed/driver-cjt188';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function start(opts: Parameters<typeof startSimulator>[0]): Promise<Simulator> {
  const sim = await startSimulator({ host: '127.0.0.1', modbusPort: 0, warmupHours: 0, ...opts });
  open.push(sim);
  return sim;
}

// Whole simulations: generous limits for a busy CI machine.
describe('simulated meters behind a CJ/T 188 concentrator', { timeout: 60_000 }, () => {
  it('are off unless configured', async () => {
    const sim = await start({ clock: new FakeClock() });
    expect(sim.meters).toBeUndefined();
  });

  it('serve growing totals, the simulated clock and valve commands to the cjt188 driver', async () => {
    const clock = new FakeClock();
    const sim = await start({
      clock,
      speed: 600,
      startTime: '07:00',
      meters: { count: 5, concentratorPort: 0, startDate: '2026-03-01' },
    });
    const served = sim.meters!;
    expect(served).toMatchObject({ protocol: 'cjt188', host: '127.0.0.1' });
    expect(served.addresses).toHaveLength(5);
    const driver: Cjt188Driver = cjt188Driver.create(
      { host: served.host, port: served.port, timeoutMs: 2000 },
      { clock: systemClock, logger: silentLogger() },
    );
    open.push(driver);
    await driver.connect();
    const [a, b] = served.addresses as [string, string];
    const tags = [
      { name: 'a', address: `${a}:total`, dataType: 'double' as const },
      { name: 'b', address: `${b}:total`, dataType: 'double' as const },
      { name: 't', address: `${a}:meter_time`, dataType: 'string' as const },
    ];
    const first = await driver.read(tags);
    expect(first.map((s) => s.quality)).toEqual(['good', 'good', 'good']);
    expect(first[2]?.value).toBe('2026-03-01T07:00:00');

    await clock.advance(6_000); // one simulated hour of morning peak
    const later = await driver.read(tags);
    expect(later[2]?.value).toBe('2026-03-01T08:00:00');
    expect(later[0]?.value as number).toBeGreaterThan(first[0]?.value as number);
    expect(later[1]?.value as number).toBeGreaterThan(first[1]?.value as number);

    // Closing a valve stops that household's consumption; the neighbour goes on.
    await driver.write({ name: 'v', address: `${a}:valve_open`, dataType: 'bool' }, false);
    await clock.advance(6_000);
    const closed = await driver.read(tags);
    expect(closed[0]?.value).toBe(later[0]?.value);
    expect(closed[1]?.value as number).toBeGreaterThan(later[1]?.value as number);
  });
});
