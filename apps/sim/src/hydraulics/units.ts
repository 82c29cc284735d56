import { FlowUnits } from './toolkit-codes.js';

/**
 * Factors from a network's own units to the simulator's SI units. EPANET reports in the unit
 * system implied by the flow units (EPANET 2.2 manual, Appendix A, Table A.1): US customary
 * (ft, psi) for CFS/GPM/MGD/IMGD/AFD, metric (m) for the rest.
 *
 * Simulator units: flow m³/h, length/head/level m, pressure kPa (computed from head − elevation
 * with water at 9.80665 kPa per metre, so it does not depend on the model's pressure option).
 */
export interface UnitFactors {
  readonly flowToM3h: number;
  readonly lengthToM: number;
  readonly us: boolean;
}

/** kPa per metre of water column (ρg with ρ = 1000 kg/m³, g = 9.80665 m/s²). */
export const KPA_PER_M = 9.80665;

/** psi per foot of water as EPANET converts it (PSIperFT in its units table). */
export const PSI_PER_FT = 0.4333;

const FLOW_TO_M3H: Record<number, number> = {
  [FlowUnits.CFS]: 101.94064,
  [FlowUnits.GPM]: 0.22712471,
  [FlowUnits.MGD]: 157.72549,
  [FlowUnits.IMGD]: 189.42041,
  [FlowUnits.AFD]: 51.395352,
  [FlowUnits.LPS]: 3.6,
  [FlowUnits.LPM]: 0.06,
  [FlowUnits.MLD]: 1000 / 24,
  [FlowUnits.CMH]: 1,
  [FlowUnits.CMD]: 1 / 24,
  [FlowUnits.CMS]: 3600,
};

const US = new Set<number>([FlowUnits.CFS, FlowUnits.GPM, FlowUnits.MGD, FlowUnits.IMGD, FlowUnits.AFD]);

export function unitFactors(flowUnits: number): UnitFactors {
  const flowToM3h = FLOW_TO_M3H[flowUnits];
  if (flowToM3h === undefined) throw new RangeError(`unknown EPANET flow units code ${flowUnits}`);
  const us = US.has(flowUnits);
  return { flowToM3h, lengthToM: us ? 0.3048 : 1, us };
}
