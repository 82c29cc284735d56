import type { EpanetToolkit as Project } from './toolkit-api.js';
import { NodeProperty, NodeType, type LinkType } from './toolkit-codes.js';
import { SimErrors } from '../errors.js';
import { statusChanged, type Snapshot } from './snapshot.js';
import { KPA_PER_M, type UnitFactors } from './units.js';

/** What can be read from a node: head (m), pressure (kPa), level (m), quality, demand (m³/h). */
export type NodeQuantity = 'head' | 'pressure' | 'level' | 'quality' | 'demand';
/** What can be read from a link: flow (m³/h), status (1/0), pump speed (%), setting (model units). */
export type LinkQuantity = 'flow' | 'status' | 'speed' | 'setting';

/**
 * One measurable thing in a network, by element id. Tank `level` is head − elevation; a
 * reservoir's `level` is its water-surface elevation (its head); a junction's is its pressure head.
 */
export type Measure = { node: string; quantity: NodeQuantity } | { link: string; quantity: LinkQuantity };

/** A Measure bound to one network: array index and what is needed to derive the value. */
export interface BoundMeasure {
  readonly measure: Measure;
  readonly index: number;
  readonly elevation: number;
  readonly nodeType?: NodeType;
  readonly linkType?: LinkType;
}

export function bindMeasure(
  project: Project,
  measure: Measure,
  units: UnitFactors,
  network: string,
): BoundMeasure {
  try {
    if ('node' in measure) {
      const i = project.getNodeIndex(measure.node);
      return {
        measure,
        index: i - 1,
        elevation: project.getNodeValue(i, NodeProperty.Elevation) * units.lengthToM,
        nodeType: project.getNodeType(i) as NodeType,
      };
    }
    const i = project.getLinkIndex(measure.link);
    return { measure, index: i - 1, elevation: 0, linkType: project.getLinkType(i) as LinkType };
  } catch (err) {
    const [kind, id] = 'node' in measure ? ['node', measure.node] : ['link', measure.link];
    throw SimErrors.UNKNOWN_ELEMENT.create([kind, id, network], undefined, err);
  }
}

/** The value of a measure in one snapshot. */
export function valueIn(s: Snapshot, m: BoundMeasure): number {
  const i = m.index;
  switch (m.measure.quantity) {
    case 'head':
      return s.head[i] ?? NaN;
    case 'pressure':
      return ((s.head[i] ?? NaN) - m.elevation) * KPA_PER_M;
    case 'level':
      return m.nodeType === NodeType.Reservoir ? (s.head[i] ?? NaN) : (s.head[i] ?? NaN) - m.elevation;
    case 'quality':
      return s.quality[i] ?? NaN;
    case 'demand':
      return s.demand[i] ?? NaN;
    case 'flow':
      return s.flow[i] ?? NaN;
    case 'status':
      return s.status[i] ?? NaN;
    case 'speed':
      // A stopped pump turns at 0 %, whatever speed setting it keeps for its next start.
      return s.status[i] ? (s.setting[i] ?? NaN) * 100 : 0;
    case 'setting':
      return s.setting[i] ?? NaN;
  }
}

/**
 * The value at time `t` between two consecutive solutions `a` (at a.time ≤ t) and `b`.
 *
 * EPANET holds flows constant over a hydraulic step and integrates tank levels linearly
 * (2.2 manual §3.5), and demands move in pattern steps. Between steps without a status change,
 * linear interpolation turns hourly demand steps into the gradual change a real sensor sees.
 * When a pump or valve switched at `b`, everything but tank levels and quality stays at `a`'s
 * value until `b` — the switch is instantaneous, not a ramp. Status values always hold.
 */
export function valueBetween(a: Snapshot, b: Snapshot, m: BoundMeasure, t: number): number {
  const va = valueIn(a, m);
  if (t <= a.time || b.time <= a.time) return va;
  if (t >= b.time) return valueIn(b, m);
  const q = m.measure.quantity;
  if (q === 'status') return va;
  const storage = m.nodeType === NodeType.Tank && (q === 'level' || q === 'head' || q === 'pressure');
  if (!storage && q !== 'quality' && switchedBetween(a, b)) return va;
  const f = (t - a.time) / (b.time - a.time);
  return va + (valueIn(b, m) - va) * f;
}

/**
 * statusChanged(a, b), computed once per pair of solutions: it scans every link, and a city of
 * 30,000 points asks it for nearly every reading of every tick.
 */
const switched = new WeakMap<Snapshot, { readonly from: Snapshot; readonly changed: boolean }>();
function switchedBetween(a: Snapshot, b: Snapshot): boolean {
  const known = switched.get(b);
  if (known?.from === a) return known.changed;
  const changed = statusChanged(a, b);
  switched.set(b, { from: a, changed });
  return changed;
}
