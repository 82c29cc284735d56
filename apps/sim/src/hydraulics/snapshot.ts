import type { EpanetToolkit as Project } from './toolkit-api.js';
import { LinkProperty, NodeProperty } from './toolkit-codes.js';
import type { UnitFactors } from './units.js';

/**
 * The state of every node and link at one hydraulic time, in simulator units (flow m³/h,
 * head m, quality in the model's concentration units). Arrays are indexed by EPANET index − 1.
 */
export interface Snapshot {
  /** Seconds since the start of the run (EPANET's elapsed time). */
  readonly time: number;
  readonly head: Float64Array;
  readonly demand: Float64Array;
  readonly quality: Float64Array;
  readonly flow: Float64Array;
  /** 1 when the link is open (a running pump), 0 when closed. */
  readonly status: Uint8Array;
  /** Pump relative speed, valve setting in model units, pipe roughness otherwise. */
  readonly setting: Float64Array;
}

/** Reads the current solution out of the engine with the batch getters (EPANET ≥ 2.3). */
export function captureSnapshot(project: Project, time: number, units: UnitFactors): Snapshot {
  const scale = (values: number[], k: number): Float64Array => {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = (values[i] ?? 0) * k;
    return out;
  };
  const statusRaw = project.getLinkValues(LinkProperty.Status);
  const status = new Uint8Array(statusRaw.length);
  for (let i = 0; i < statusRaw.length; i++) status[i] = (statusRaw[i] ?? 0) > 0 ? 1 : 0;
  return {
    time,
    head: scale(project.getNodeValues(NodeProperty.Head), units.lengthToM),
    demand: scale(project.getNodeValues(NodeProperty.Demand), units.flowToM3h),
    quality: scale(project.getNodeValues(NodeProperty.Quality), 1),
    flow: scale(project.getLinkValues(LinkProperty.Flow), units.flowToM3h),
    status,
    setting: scale(project.getLinkValues(LinkProperty.Setting), 1),
  };
}

/** True when some link opened or closed between two snapshots (a pump started, a valve shut). */
export function statusChanged(a: Snapshot, b: Snapshot): boolean {
  const n = a.status.length;
  for (let i = 0; i < n; i++) if (a.status[i] !== b.status[i]) return true;
  return false;
}
