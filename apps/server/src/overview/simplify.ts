import type { InpNetwork } from './inp-parser.js';

export type Xy = [number, number];

/** A drawn run of pipe: consecutive links of one diameter merged into one line. */
export interface Polyline {
  points: Xy[];
  /** mm, the largest of the run; 0 for pumps (drawn as a connection, their size is not a pipe's). */
  diameterMm: number;
  /** How many model links the line stands for. */
  links: number;
}

export interface SimplifyOptions {
  /** Douglas–Peucker tolerance, in the network's own coordinate units. */
  tolerance: number;
  /** mm per diameter unit of the model: 25.4 for US-unit models, 1 for SI. */
  mmPerUnit: number;
  /** Nodes a line must not be merged across (a site sits there, or a tank). */
  keep?: ReadonlySet<string>;
}

/**
 * The pipes of a model reduced for the wire: runs of links through junctions where nothing
 * branches (degree 2) and the size class (`sizeClass`) stays the same are one line, and each line keeps only
 * the points Douglas–Peucker needs at `tolerance` (Douglas & Peucker 1973). A city model draws
 * most of its pipes as such runs (service streets, mains between junctions), so the browser
 * gets a fraction of the links and far fewer points for the same picture.
 */
export function simplifyPipes(net: InpNetwork, opts: SimplifyOptions): Polyline[] {
  type Edge = { id: number; a: string; b: string; pts: Xy[]; d: number };
  const edges: Edge[] = [];
  const incident = new Map<string, number[]>();
  for (const l of net.links) {
    const a = net.nodes.get(l.from);
    const b = net.nodes.get(l.to);
    if (!a || !b) continue; // an end without coordinates cannot be drawn
    const id = edges.length;
    edges.push({
      id,
      a: l.from,
      b: l.to,
      pts: [[a.x, a.y], ...l.vertices, [b.x, b.y]],
      d: l.kind === 'pump' ? 0 : l.diameter * opts.mmPerUnit,
    });
    for (const n of [l.from, l.to]) {
      const list = incident.get(n) ?? [];
      list.push(id);
      incident.set(n, list);
    }
  }
  // A node a run passes through: a junction with exactly two links of the same size.
  const passThrough = (n: string): boolean => {
    const list = incident.get(n);
    if (!list || list.length !== 2 || opts.keep?.has(n)) return false;
    if (net.nodes.get(n)?.kind !== 'junction') return false;
    const [e1, e2] = [edges[list[0]!]!, edges[list[1]!]!];
    return e1 !== e2 && sizeClass(e1.d) === sizeClass(e2.d);
  };
  const used = new Uint8Array(edges.length);
  const out: Polyline[] = [];
  /** Walks from `start` along `first` through pass-through nodes; returns the points and count. */
  const walk = (start: string, first: Edge): { pts: Xy[]; n: number; d: number } => {
    const pts: Xy[] = [];
    let node = start;
    let edge: Edge | undefined = first;
    let n = 0;
    let d = 0;
    while (edge && !used[edge.id]) {
      used[edge.id] = 1;
      n++;
      d = Math.max(d, edge.d);
      const forward = edge.a === node;
      const seg = forward ? edge.pts : [...edge.pts].reverse();
      if (pts.length > 0) seg.shift(); // the shared node is already there
      pts.push(...seg);
      node = forward ? edge.b : edge.a;
      if (!passThrough(node)) break;
      const cur: Edge = edge;
      const next = incident
        .get(node)!
        .map((i) => edges[i]!)
        .find((e) => e !== cur);
      edge = next;
    }
    return { pts, n, d };
  };
  // Runs start at every node that is not pass-through; what is left after that are closed loops.
  for (const [node, list] of incident) {
    if (passThrough(node)) continue;
    for (const i of list) {
      const e = edges[i]!;
      if (used[i]) continue;
      const { pts, n, d } = walk(node, e);
      out.push({ points: douglasPeucker(pts, opts.tolerance), diameterMm: d, links: n });
    }
  }
  for (const e of edges) {
    if (used[e.id]) continue;
    const { pts, n, d } = walk(e.a, e);
    out.push({ points: douglasPeucker(pts, opts.tolerance), diameterMm: d, links: n });
  }
  return out;
}

/**
 * The size classes a map draws differently (line width): distribution below 100 mm, 100–199,
 * 200–299, 300–499 mm, trunk mains of 500 mm and above; pumps (0) are a class of their own.
 * A run merges links of one class, so merging never changes how wide a pipe is drawn.
 */
export const SIZE_CLASSES_MM = [100, 200, 300, 500] as const;

export function sizeClass(diameterMm: number): number {
  if (diameterMm <= 0) return -1;
  let c = 0;
  while (c < SIZE_CLASSES_MM.length && diameterMm >= SIZE_CLASSES_MM[c]!) c++;
  return c;
}

/**
 * Douglas–Peucker line simplification, iterative (a long run must not blow the stack): keeps the
 * end points and every point farther than `tolerance` from the chord of the span it lies in.
 */
export function douglasPeucker(points: readonly Xy[], tolerance: number): Xy[] {
  if (points.length <= 2) return [...points];
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  const tol2 = tolerance * tolerance;
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let worst = -1;
    let worstD = tol2;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistance2(points[i]!, points[first]!, points[last]!);
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([first, worst], [worst, last]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

/** Squared distance from `p` to the segment a–b. */
function segmentDistance2(p: Xy, a: Xy, b: Xy): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0];
  const y = a[1] + t * dy - p[1];
  return x * x + y * y;
}
