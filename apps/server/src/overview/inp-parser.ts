import { OverviewErrors } from './errors.js';

/** A node of the model with the coordinates the modeller drew it at. */
export interface InpNode {
  id: string;
  kind: 'junction' | 'reservoir' | 'tank';
  x: number;
  y: number;
}

/** A link: a pipe, pump or valve between two nodes, with the bends the modeller drew. */
export interface InpLink {
  id: string;
  kind: 'pipe' | 'pump' | 'valve';
  from: string;
  to: string;
  /** In the model's units: mm for SI flow units, inches for US ones; 0 for pumps. */
  diameter: number;
  /** Intermediate points from [VERTICES], in order; the end nodes are not repeated. */
  vertices: [number, number][];
}

/** What the overview needs of an EPANET model: its drawing, not its hydraulics. */
export interface InpNetwork {
  name: string;
  /** Flow units of [OPTIONS] (GPM, CMH, LPS …): decides whether diameters are inches or mm. */
  flowUnits: string;
  /** Nodes that have coordinates, by id; a node without any is left out (it cannot be drawn). */
  nodes: Map<string, InpNode>;
  links: InpLink[];
}

/** EPANET 2.2 manual, §C.2 [OPTIONS] UNITS: these flow units put the model in US customary units. */
const US_FLOW_UNITS = new Set(['CFS', 'GPM', 'MGD', 'IMGD', 'AFD']);

/** True when diameters of the model are in inches (US customary flow units). */
export function diametersInInches(net: InpNetwork): boolean {
  return US_FLOW_UNITS.has(net.flowUnits);
}

/**
 * Parses the drawing of an EPANET input file (EPANET 2.2 users manual, appendix C "Command Line
 * EPANET", C.3 input file format): [JUNCTIONS], [RESERVOIRS], [TANKS] say what each node is,
 * [PIPES], [PUMPS], [VALVES] what links them, [COORDINATES] and [VERTICES] where they are drawn.
 * Every other section is skipped: the overview draws the model, the simulator runs it.
 * Per §C.3, `;` starts a comment, fields are separated by blanks or tabs, section names and
 * keywords are case-insensitive, ids are not.
 */
export function parseInp(name: string, text: string): InpNetwork {
  const kinds = new Map<string, InpNode['kind']>();
  const coords = new Map<string, [number, number]>();
  const links: InpLink[] = [];
  const byId = new Map<string, InpLink>();
  let flowUnits = 'GPM'; // EPANET's default when [OPTIONS] names none (§C.3 [OPTIONS])
  let section = '';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const semi = raw.indexOf(';');
    const line = (semi >= 0 ? raw.slice(0, semi) : raw).trim();
    if (line === '') continue;
    if (line.startsWith('[')) {
      section = line.toUpperCase();
      continue;
    }
    const f = line.split(/\s+/);
    const fail = (why: string): never => {
      throw OverviewErrors.INP_INVALID.create([name, String(i + 1), why]);
    };
    const num = (k: number, what: string): number => {
      const v = Number(f[k]);
      if (f[k] === undefined || !Number.isFinite(v))
        fail(`${section} ${what} is not a number: "${f[k] ?? ''}"`);
      return v;
    };
    switch (section) {
      case '[JUNCTIONS]':
        kinds.set(f[0]!, 'junction');
        break;
      case '[RESERVOIRS]':
        kinds.set(f[0]!, 'reservoir');
        break;
      case '[TANKS]':
        kinds.set(f[0]!, 'tank');
        break;
      case '[PIPES]':
      case '[PUMPS]':
      case '[VALVES]': {
        if (f.length < 3) fail(`${section} needs an id and two nodes`);
        const kind = section === '[PIPES]' ? 'pipe' : section === '[PUMPS]' ? 'pump' : 'valve';
        // Pipes: ID Node1 Node2 Length Diameter …; valves: ID Node1 Node2 Diameter Type …
        const diameter = kind === 'pipe' ? num(4, 'diameter') : kind === 'valve' ? num(3, 'diameter') : 0;
        const link: InpLink = { id: f[0]!, kind, from: f[1]!, to: f[2]!, diameter, vertices: [] };
        links.push(link);
        byId.set(link.id, link);
        break;
      }
      case '[COORDINATES]':
        coords.set(f[0]!, [num(1, 'X-Coord'), num(2, 'Y-Coord')]);
        break;
      case '[VERTICES]': {
        const link = byId.get(f[0]!);
        if (!link) fail(`[VERTICES] names link "${f[0]}" which is not defined before it`);
        link!.vertices.push([num(1, 'X-Coord'), num(2, 'Y-Coord')]);
        break;
      }
      case '[OPTIONS]':
        if (f[0]!.toUpperCase() === 'UNITS' && f[1]) flowUnits = f[1].toUpperCase();
        break;
      default:
        break;
    }
  }
  const nodes = new Map<string, InpNode>();
  for (const [id, [x, y]] of coords) {
    const kind = kinds.get(id);
    // A coordinate of a node no section defines is a stale line the GUI left; skip it.
    if (kind) nodes.set(id, { id, kind, x, y });
  }
  return { name, flowUnits, nodes, links };
}
