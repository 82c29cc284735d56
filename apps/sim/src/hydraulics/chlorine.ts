import type { EpanetToolkit as Project } from './toolkit-api.js';
import { CountType, LinkProperty, LinkType, NodeProperty, NodeType, QualityType } from './toolkit-codes.js';
import { SimErrors } from '../errors.js';
import { epanetCall } from './epanet.js';
import type { UnitFactors } from './units.js';

/**
 * Free chlorine for a network whose model does not simulate it (Net3 ships a Lake-water trace).
 * The defaults reuse the kinetics of EPANET's own chlorine example, Net1 ([REACTIONS]:
 * first-order bulk −0.5 /day, first-order wall −1 ft/day = −0.3048 m/day), so both networks
 * decay chlorine the way EPANET's authors set it up.
 */
export interface ChlorineSetup {
  /** Concentration of water leaving each source node (reservoir), mg/L; treated-water residual. */
  sources: Record<string, number>;
  /** Initial concentration everywhere else, mg/L; the warm-up run washes most of it out. */
  initial?: number;
  /** First-order bulk decay coefficient, 1/day (negative = decay). */
  bulkPerDay?: number;
  /** First-order wall decay coefficient, m/day (negative = decay). */
  wallMPerDay?: number;
}

export const NET1_BULK_PER_DAY = -0.5;
export const NET1_WALL_M_PER_DAY = -0.3048;

/** True when the model already simulates a chemical (e.g. Net1's chlorine), which we then keep. */
export function modelsChemical(project: Project): boolean {
  return project.getQualityInfo().qualType === QualityType.Chem;
}

/** Switches the project to chlorine with the given sources and kinetics. */
export function applyChlorine(
  project: Project,
  setup: ChlorineSetup,
  units: UnitFactors,
  network: string,
): void {
  epanetCall('setting up chlorine', () => {
    project.setQualityType(QualityType.Chem, 'Chlorine', 'mg/L', '');
    const initial = setup.initial ?? 0.5;
    const nodes = project.getCount(CountType.NodeCount);
    for (let i = 1; i <= nodes; i++) {
      if (project.getNodeType(i) !== NodeType.Reservoir)
        project.setNodeValue(i, NodeProperty.Initqual, initial);
    }
    for (const [id, mgL] of Object.entries(setup.sources)) {
      const index = nodeIndex(project, id, network);
      // A reservoir's initial quality is the quality of the water it supplies for the whole run
      // (EPANET 2.2 manual §3.1 "Reservoirs"); a junction or tank needs a source instead.
      if (project.getNodeType(index) === NodeType.Reservoir)
        project.setNodeValue(index, NodeProperty.Initqual, mgL);
      else project.setNodeValue(index, NodeProperty.SourceQual, mgL);
    }
    const bulk = setup.bulkPerDay ?? NET1_BULK_PER_DAY;
    // Wall coefficients are in the model's length units per day.
    const wall = (setup.wallMPerDay ?? NET1_WALL_M_PER_DAY) / units.lengthToM;
    const links = project.getCount(CountType.LinkCount);
    for (let i = 1; i <= links; i++) {
      const type = project.getLinkType(i);
      if (type !== LinkType.Pipe && type !== LinkType.CVPipe) continue;
      project.setLinkValue(i, LinkProperty.KBulk, bulk);
      project.setLinkValue(i, LinkProperty.KWall, wall);
    }
    for (let i = 1; i <= nodes; i++) {
      if (project.getNodeType(i) === NodeType.Tank) project.setNodeValue(i, NodeProperty.TankKBulk, bulk);
    }
  });
}

function nodeIndex(project: Project, id: string, network: string): number {
  try {
    return project.getNodeIndex(id);
  } catch (err) {
    throw SimErrors.UNKNOWN_ELEMENT.create(['node', id, network], undefined, err);
  }
}
