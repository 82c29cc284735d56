import type { Point } from '@watershed/model';
import type { Store } from '@watershed/store';
import type { AnalyticsConfig, DistrictConfig } from './config.js';

/** A district as the analytics know it: its points and who owns it. */
export interface District {
  id: string;
  name: string;
  project: string;
  inflowPoints: string[];
  /** Register points of its customer meters, by id. */
  meterPoints: Point[];
  properties: number;
  nonHouseholdNightUseM3h: number;
  meterReportIntervalMs: number;
  meterSizeMm: number | undefined;
}

/** The group every meter register point is in: CJ/T 188 concentrators and NB-IoT vendors alike. */
export const METER_GROUP = 'meters';

/**
 * Where vendor meters without a district go (apps/server/src/meters: `fallback: 'unassigned'`);
 * a holding area, not a DMA, so it is never found as a district by convention.
 */
const UNASSIGNED = 'unassigned';

/**
 * Inlet flow points by convention: the district's `*_INLET_FLOW` points (the L-Town DMA plant's
 * R1/R2 inlets) and the magnetic flow meters `FT<n>_FLOW` of its treatment works — the stations
 * `<district>-works` / `<district>-<name>-works` of the reference city, whose flow meters sit on
 * the mains leaving the works (apps/sim/scenarios/reference.yaml). A utility whose district is fed otherwise
 * lists its inlets in `analytics.districts[].inflows`.
 */
export function isConventionalInflow(p: Point): boolean {
  if (p.unit !== undefined && p.unit !== 'm3/h') return false;
  if (/(^|_)INLET_FLOW$/.test(p.tag)) return true;
  return isWorksNode(p.site, p.node) && /^FT\d+_FLOW$/.test(p.tag);
}

/** A treatment works of the site by the reference city's naming: `north-works`, `centre-river-works`. */
export function isWorksNode(site: string, node: string): boolean {
  return node.startsWith(`${site}-`) && node.endsWith('-works');
}

export function isMeterRegister(p: Point): boolean {
  return p.group === METER_GROUP && (p.unit === undefined || p.unit === 'm3');
}

/**
 * The districts of the installation: those configured, or else every site that has meter
 * registers or conventional inlets. Points are read from the store each time (a gateway or a
 * vendor meter added a minute ago belongs to its district at once).
 */
export async function resolveDistricts(store: Store, cfg: AnalyticsConfig): Promise<District[]> {
  const points = await store.listPoints();
  const bySite = new Map<string, Point[]>();
  for (const p of points) {
    let list = bySite.get(p.site);
    if (!list) bySite.set(p.site, (list = []));
    list.push(p);
  }
  const configured: DistrictConfig[] =
    cfg.districts ??
    [...bySite.entries()]
      .filter(
        ([site, ps]) => site !== UNASSIGNED && ps.some((p) => isMeterRegister(p) || isConventionalInflow(p)),
      )
      .map(([id]) => ({ id }));
  const out: District[] = [];
  for (const d of configured) {
    const ps = bySite.get(d.id) ?? [];
    const meterPoints = ps.filter(isMeterRegister);
    const site = await store.metadata.sites.get(d.id);
    out.push({
      id: d.id,
      name: d.name ?? site?.name ?? d.id,
      project: d.project ?? site?.project ?? cfg.project,
      inflowPoints: d.inflows ?? ps.filter(isConventionalInflow).map((p) => p.id),
      meterPoints,
      properties: d.properties ?? meterPoints.length,
      nonHouseholdNightUseM3h: d.nonHouseholdNightUseM3h ?? 0,
      meterReportIntervalMs: 1000 * (d.meterReportIntervalS ?? cfg.meterReportIntervalS),
      meterSizeMm: d.meterSizeMm,
    });
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** The project a site belongs to: its site record's, else the analytics default. */
export async function siteProject(store: Store, cfg: AnalyticsConfig, site: string): Promise<string> {
  const configured = cfg.districts?.find((d) => d.id === site)?.project;
  if (configured) return configured;
  return (await store.metadata.sites.get(site))?.project ?? cfg.project;
}
