import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { OverviewFeature, OverviewMap, OverviewMapDocument } from './wire.js';
import type { OverviewMapConfig, OverviewSite } from './config.js';
import { OverviewErrors } from './errors.js';
import { diametersInInches, parseInp, type InpNetwork } from './inp-parser.js';
import { simplifyPipes, type Xy } from './simplify.js';

/** Display length of a district's longer side unless its config says otherwise. */
const DEFAULT_SIZE = 1000;
/** Space between districts laid out side by side, as a share of the default size. */
const GAP = 0.1 * DEFAULT_SIZE;
/**
 * Douglas–Peucker tolerance as a share of a district's longer side: 1/2000 is half a pixel of a
 * district drawn 1000 px wide, so simplification changes nothing a big screen can show.
 */
const TOLERANCE = 1 / 2000;

export const NETWORKS_DIR_ENV = 'WATERSHED_NETWORKS_DIR';

/** The map when the server has no `overview.map`: the console shows KPIs and sites only. */
export function unconfiguredMap(): OverviewMapDocument {
  return document({
    type: 'FeatureCollection',
    configured: false,
    bbox: [0, 0, 0, 0],
    districts: [],
    features: [],
  });
}

/**
 * Builds the overview's map from its config: reads each district's EPANET model, simplifies its
 * pipes for the wire and lays the districts out side by side on one plane. EPANET coordinates
 * are planar and local (feet, metres, or arbitrary units as in Net1), never WGS84, so each
 * district is scaled to a common display size rather than placed on a globe. Throws, naming the
 * config path, when a file is missing or a site names an element the model lacks.
 */
export async function buildOverviewMap(
  config: OverviewMapConfig,
  env: Record<string, string | undefined> = process.env,
): Promise<OverviewMapDocument> {
  const dir = config.networksDir ?? env[NETWORKS_DIR_ENV];
  const parsed = new Map<string, Promise<InpNetwork>>();
  const load = (path: string): Promise<InpNetwork> => {
    let p = parsed.get(path);
    if (!p) {
      p = readFile(path, 'utf8').then((text) => parseInp(path, text));
      parsed.set(path, p);
    }
    return p;
  };
  unique(
    config.districts.map((d) => d.id),
    'districts',
  );
  unique(config.sites.map(placeKey), 'sites');
  const sitesOf = new Map<string, { site: OverviewSite; index: number }[]>();
  config.sites.forEach((site, index) => {
    if (!config.districts.some((d) => d.id === site.district))
      throw OverviewErrors.UNKNOWN_DISTRICT.create([
        String(index),
        site.district,
        config.districts.map((d) => d.id).join(', '),
      ]);
    sitesOf.set(site.district, [...(sitesOf.get(site.district) ?? []), { site, index }]);
  });

  const features: OverviewFeature[] = [];
  const districts: OverviewMap['districts'] = [];
  let cursor = 0;
  for (const [i, d] of config.districts.entries()) {
    const path = networkFile(d.network, dir, i);
    const net = await load(path);
    const box = extent(net);
    const side = Math.max(box[2] - box[0], box[3] - box[1]) || 1;
    const size = d.size ?? DEFAULT_SIZE;
    const scale = size / side;
    const origin: Xy = d.offset ? [d.offset.x, d.offset.y] : [cursor, 0];
    const at = (p: Xy): Xy => [
      round(origin[0] + (p[0] - box[0]) * scale),
      round(origin[1] + (p[1] - box[1]) * scale),
    ];
    const width = (box[2] - box[0]) * scale;
    const height = (box[3] - box[1]) * scale;
    if (!d.offset) cursor += width + GAP;

    const placed = (sitesOf.get(d.id) ?? []).map(({ site, index }) => ({
      site,
      ...placeSite(net, site, index, d.network),
    }));
    const keep = new Set(placed.flatMap((p) => p.nodes));
    const lines = simplifyPipes(net, {
      tolerance: side * TOLERANCE,
      mmPerUnit: diametersInInches(net) ? 25.4 : 1,
      keep,
    });
    for (const l of lines) {
      const coordinates = dedupe(l.points.map(at));
      if (coordinates.length < 2) continue; // shorter than the display resolution
      features.push({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates },
        properties: { kind: 'pipe', district: d.id, diameterMm: Math.round(l.diameterMm), links: l.links },
      });
    }
    for (const n of net.nodes.values()) {
      if (n.kind === 'junction') continue;
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: at([n.x, n.y]) },
        properties: { kind: n.kind, district: d.id, id: n.id },
      });
    }
    for (const l of net.links) {
      if (l.kind === 'pipe') continue;
      const mid = midpoint(net, l.from, l.to);
      if (!mid) continue;
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: at(mid) },
        properties: { kind: l.kind, district: d.id, id: l.id },
      });
    }
    for (const p of placed) {
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: at(p.xy) },
        properties: {
          kind: 'site',
          district: d.id,
          site: p.site.site,
          key: placeKey(p.site),
          ...(p.site.gateway !== undefined && { gateway: p.site.gateway }),
          element: p.element,
          ...(p.site.name !== undefined && { name: p.site.name }),
          ...(p.site.kind !== undefined && { siteKind: p.site.kind }),
        },
      });
    }
    districts.push({
      id: d.id,
      ...(d.name !== undefined && { name: d.name }),
      network: d.network,
      bbox: [round(origin[0]), round(origin[1]), round(origin[0] + width), round(origin[1] + height)],
      links: net.links.length,
    });
  }
  const bbox: [number, number, number, number] = [
    Math.min(...districts.map((d) => d.bbox[0])),
    Math.min(...districts.map((d) => d.bbox[1])),
    Math.max(...districts.map((d) => d.bbox[2])),
    Math.max(...districts.map((d) => d.bbox[3])),
  ];
  return document({ type: 'FeatureCollection', configured: true, bbox, districts, features });
}

function document(map: OverviewMap): OverviewMapDocument {
  const json = JSON.stringify(map);
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 22)}"`;
  return { etag, map, json };
}

/** The file of a district's model: a path as given, or `<name>.inp` in the networks directory. */
function networkFile(network: string, dir: string | undefined, index: number): string {
  const file = network.endsWith('.inp') ? network : `${network}.inp`;
  const path = isAbsolute(file) || file.includes('/') ? resolve(file) : join(dir ?? '.', file);
  if (!existsSync(path))
    throw OverviewErrors.NETWORK_NOT_FOUND.create([
      String(index),
      file,
      dir ?? `the working directory (set overview.map.networksDir or ${NETWORKS_DIR_ENV})`,
    ]);
  return path;
}

/** Where a site is drawn, and the model nodes pipes must not be merged across there. */
function placeSite(
  net: InpNetwork,
  site: OverviewSite,
  index: number,
  network: string,
): { xy: Xy; element: string; nodes: string[] } {
  const missing = (what: string, id: string): never => {
    throw OverviewErrors.UNKNOWN_ELEMENT.create([String(index), what, id, site.district, network]);
  };
  if (site.node !== undefined) {
    const n = net.nodes.get(site.node) ?? missing('node', site.node);
    return { xy: [n.x, n.y], element: site.node, nodes: [site.node] };
  }
  if (site.link !== undefined) {
    const l = net.links.find((k) => k.id === site.link) ?? missing('link', site.link);
    const mid = midpoint(net, l.from, l.to) ?? missing('link (with drawn ends)', site.link);
    return { xy: mid, element: site.link, nodes: [l.from, l.to] };
  }
  return missing('node or link', '(neither given)');
}

function midpoint(net: InpNetwork, from: string, to: string): Xy | undefined {
  const a = net.nodes.get(from);
  const b = net.nodes.get(to);
  if (!a || !b) return undefined;
  return [(a.x + b.x) / 2, (a.y + b.y) / 2];
}

/** [minX, minY, maxX, maxY] of everything drawn. */
function extent(net: InpNetwork): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (x: number, y: number): void => {
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  };
  for (const n of net.nodes.values()) add(n.x, n.y);
  for (const l of net.links) for (const [x, y] of l.vertices) add(x, y);
  return Number.isFinite(box[0]) ? box : [0, 0, 0, 0];
}

/** One decimal of a display unit: a district is ~1000 units across, so a tenth is far below a pixel. */
function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function dedupe(points: Xy[]): Xy[] {
  return points.filter((p, i) => i === 0 || p[0] !== points[i - 1]![0] || p[1] !== points[i - 1]![1]);
}

/** A map site's key: `site`, or `site.gateway` when it is one station of several at a site. */
export function placeKey(s: { site: string; gateway?: string | undefined }): string {
  return s.gateway === undefined ? s.site : `${s.site}.${s.gateway}`;
}

function unique(ids: string[], where: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw OverviewErrors.DUPLICATE.create([where, id]);
    seen.add(id);
  }
}
