import { describe, expect, it } from 'vitest';
import { networkPath, resolveNetworksDir } from './networks.js';
import { runTimeSeries } from './series.js';
import { KPA_PER_M } from './units.js';

/*
 * Reference figures: OWA-EPANET's own regression test of its output API,
 * OpenWaterAnalytics/EPANET tests/outfile/test_output.cpp, which reads `example1.out`, the
 * binary output of EPANET example network 1 (Net1) at 1-hour reporting periods:
 *   - test_getNodeSeries: node 2 (junction 11) pressure, periods 0–9, psi
 *   - test_getLinkSeries: link 2 (pipe 11) flow, periods 0–9, GPM
 *   - test_getLinkAttribute: flow of all 13 links at period 1, GPM
 *   - test_getNodeAttribute: chlorine at all 11 nodes at period 1, mg/L
 * EPANET reports psi as ft × 0.4333 (PSIperFT in its units table), and the simulator reports
 * kPa from head − elevation in metres, so the reference converts through feet.
 * Tolerances: 0.01 psi and 0.05 GPM (the reference file stores 4-byte floats and was produced
 * by an earlier engine; we run 2.3.5), and 0.002 mg/L for chlorine — the 2.3.5 quality solver
 * lands within 0.0011 mg/L of the reference at every node.
 */
const PSI_TO_KPA = (0.3048 * KPA_PER_M) / 0.4333;
const GPM_TO_M3H = 0.22712471;

const J11_PRESSURE_PSI = [
  119.25731, 120.45029, 121.19854, 122.00622, 122.37414, 122.8122, 122.82034, 122.90379, 123.40434, 123.81807,
];
const P11_FLOW_GPM = [
  1234.2072, 1220.4274, 1164.4, 1154.8175, 1100.0635, 1094.759, 1041.7854, 1040.7617, 1087.556, 1082.5011,
];
const LINKS = ['10', '11', '12', '21', '22', '31', '110', '111', '112', '113', '121', '122', '9'];
const LINK_FLOW_H1_GPM = [
  1848.5812, 1220.4274, 130.11162, 187.6893, 119.8884, 40.464489, -748.58112, 478.15378, 191.73459, 30.111609,
  140.46449, 59.535515, 1848.5812,
];
const NODES = ['10', '11', '12', '13', '21', '22', '23', '31', '32', '9', '2'];
const NODE_CL_H1 = [
  1.0, 0.44407997, 0.43766347, 0.42827705, 0.41342604, 0.42804748, 0.44152543, 0.40502965, 0.38635802, 1.0,
  0.96745253,
];

describe('Net1 against EPANET reference output', () => {
  const net1 = networkPath(resolveNetworksDir(), 'Net1');

  it('reproduces junction 11 pressure and pipe 11 flow for hours 0–9', async () => {
    const series = await runTimeSeries(net1, {
      duration: 9 * 3600,
      interval: 3600,
      measures: { p11: { node: '11', quantity: 'pressure' }, q11: { link: '11', quantity: 'flow' } },
    });
    expect(series.times).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((h) => h * 3600));
    series.values['p11']!.forEach((v, i) => expect(v).toBeCloseTo(J11_PRESSURE_PSI[i]! * PSI_TO_KPA, 0));
    series.values['p11']!.forEach((v, i) =>
      expect(Math.abs(v / PSI_TO_KPA - J11_PRESSURE_PSI[i]!)).toBeLessThan(0.01),
    );
    series.values['q11']!.forEach((v, i) =>
      expect(Math.abs(v / GPM_TO_M3H - P11_FLOW_GPM[i]!)).toBeLessThan(0.05),
    );
  });

  it('reproduces every link flow and node chlorine at hour 1', async () => {
    const measures = Object.fromEntries([
      ...LINKS.map((id) => [`q${id}`, { link: id, quantity: 'flow' as const }]),
      ...NODES.map((id) => [`c${id}`, { node: id, quantity: 'quality' as const }]),
    ]);
    const series = await runTimeSeries(net1, { duration: 3600, interval: 3600, measures });
    LINKS.forEach((id, i) =>
      expect(Math.abs(series.values[`q${id}`]![1]! / GPM_TO_M3H - LINK_FLOW_H1_GPM[i]!)).toBeLessThan(0.05),
    );
    NODES.forEach((id, i) =>
      expect(Math.abs(series.values[`c${id}`]![1]! - NODE_CL_H1[i]!)).toBeLessThan(0.002),
    );
  });
});
