import { SimErrors } from '../errors.js';
import type { HydraulicRun } from './run.js';
import { CountType, LinkProperty, LinkType, NodeProperty, NodeType } from './toolkit-codes.js';

/**
 * Static facts about network elements that equipment models need beside the time-varying state:
 * a link's end nodes and bore, a tank's geometry. In SI (metres), whatever the model's units.
 */
export interface LinkFacts {
  readonly id: string;
  readonly type: LinkType;
  readonly from: string;
  readonly to: string;
  /** Internal diameter, m; 0 for pumps (EPANET gives them none). */
  readonly diameterM: number;
}

export interface TankFacts {
  readonly id: string;
  readonly diameterM: number;
  readonly minLevelM: number;
  readonly maxLevelM: number;
}

export function linkFacts(run: HydraulicRun, link: string): LinkFacts {
  const p = run.project;
  const index = run.bind({ link, quantity: 'flow' }).index + 1;
  const type = p.getLinkType(index) as LinkType;
  const { node1, node2 } = p.getLinkNodes(index);
  // EPANET 2.2 manual Table A.1: pipe diameters are in inches (US units) or millimetres (SI).
  const raw = type === LinkType.Pump ? 0 : p.getLinkValue(index, LinkProperty.Diameter);
  return {
    id: link,
    type,
    from: p.getNodeId(node1),
    to: p.getNodeId(node2),
    diameterM: run.units.us ? raw * 0.0254 : raw / 1000,
  };
}

export function tankFacts(run: HydraulicRun, node: string): TankFacts {
  const p = run.project;
  const bound = run.bind({ node, quantity: 'level' });
  if (bound.nodeType !== NodeType.Tank) throw SimErrors.UNKNOWN_ELEMENT.create(['tank', node, run.name]);
  const i = bound.index + 1;
  const m = run.units.lengthToM;
  return {
    id: node,
    diameterM: p.getNodeValue(i, NodeProperty.TankDiam) * m,
    minLevelM: p.getNodeValue(i, NodeProperty.MinLevel) * m,
    maxLevelM: p.getNodeValue(i, NodeProperty.MaxLevel) * m,
  };
}

/** Ids of the network's junctions in index order (the model's own order, stable across runs). */
export function junctionIds(run: HydraulicRun): string[] {
  const p = run.project;
  const ids: string[] = [];
  const n = p.getCount(CountType.NodeCount);
  for (let i = 1; i <= n; i++) if (p.getNodeType(i) === NodeType.Junction) ids.push(p.getNodeId(i));
  return ids;
}
