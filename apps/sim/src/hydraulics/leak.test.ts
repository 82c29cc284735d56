import { describe, expect, it } from 'vitest';
import { networkPath, resolveNetworksDir } from './networks.js';
import { HydraulicRun } from './run.js';

/*
 * A leak is an emitter (EPANET 2.2 manual §3.1): outflow grows with the square root of pressure.
 * In L-Town (BattLeDIM 2020) all water enters through the two reservoir mains p227 and p235,
 * which carry the network's flow sensors; the minimum night flow (MNF) through them is what a
 * utility watches for new leaks. (A leak in DMA C, e.g. at n1, does not show there at night: the
 * district is fed from tank T1, refilled by PUMP_1 — its MNF is the tank's outflow.)
 */
const NODE = 'n310';

async function nightFlows(leakFlow: number): Promise<{ mnf: number; pressure: number; demandAt3: number }> {
  const run = await HydraulicRun.open(networkPath(resolveNetworksDir(), 'L-TOWN'), { duration: 6 * 3600 });
  try {
    const inflow = [
      run.bind({ link: 'p227', quantity: 'flow' }),
      run.bind({ link: 'p235', quantity: 'flow' }),
    ];
    const pressureAt = run.bind({ node: NODE, quantity: 'pressure' });
    const demand = run.bind({ node: NODE, quantity: 'demand' });
    if (leakFlow > 0) run.apply([{ kind: 'leak', node: NODE, flow: leakFlow }]);
    let mnf = Infinity;
    let pressure = NaN;
    let demandAt3 = NaN;
    for (let t = 3600; t <= 5 * 3600; t += 300) {
      run.advanceTo(t);
      mnf = Math.min(
        mnf,
        inflow.reduce((q, m) => q + run.valueAt(m, t), 0),
      );
      if (t === 3 * 3600) {
        pressure = run.valueAt(pressureAt, t);
        demandAt3 = run.valueAt(demand, t);
      }
    }
    return { mnf, pressure, demandAt3 };
  } finally {
    run.close();
  }
}

// Whole simulations: generous limits for a busy CI machine (each takes a few seconds alone).
describe('leak events', { timeout: 60_000 }, () => {
  it('raise the minimum night flow by the leak outflow while pressure barely moves', async () => {
    const base = await nightFlows(0);
    const leaky = await nightFlows(10);
    const rise = leaky.mnf - base.mnf;
    // EN_DEMAND reports consumer demand plus emitter outflow, so the extra outflow is the difference.
    const outflow = leaky.demandAt3 - base.demandAt3;
    // Night pressure at n310 is close to the pressure the leak was sized at: about 10 m³/h.
    expect(outflow).toBeGreaterThan(9);
    expect(outflow).toBeLessThan(11);
    expect(rise).toBeGreaterThan(0.9 * outflow);
    expect(rise).toBeLessThan(1.1 * outflow);
    // Pressure at the leak moves by less than 10 kPa (1 m of head): flows, not pressures, reveal it.
    expect(Math.abs(leaky.pressure - base.pressure)).toBeLessThan(10);
  });
});
