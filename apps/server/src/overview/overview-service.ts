import { gb5749RuleSet, isaState, type AlarmFilter, type AlarmState } from '@watershed/alarms';
import type { Clock } from '@watershed/common';
import type { Point } from '@watershed/model';
import type { SampleRow, Store } from '@watershed/store';
import { pressureCompliance, qualityCompliance, qualityLimits, type Limit } from './compliance.js';
import type { OverviewConfig, OverviewSite } from './config.js';
import { startOfLocalDay } from './day-start.js';
import type { IntervalTracker } from './interval-tracker.js';
import { placeKey } from './map-builder.js';
import { selectPoints, type PlaceOf, type Selection } from './selection.js';
import { SupplyIntegrator } from './supply.js';
import type {
  OverviewKpis,
  OverviewMapDocument,
  OverviewService,
  Severity,
  SeverityCounts,
  SiteSummary,
} from './wire.js';

/** The part of the alarm service the overview reads. */
export interface AlarmList {
  list(filter?: AlarmFilter): AlarmState[];
}

export interface ServerOverviewOptions {
  store: Store;
  config: OverviewConfig;
  timeZone: string;
  map: OverviewMapDocument;
  intervals: IntervalTracker;
  clock: Clock;
  alarms?: AlarmList;
}

/** The point catalog is re-read this often: gateways announce new tags rarely. */
const CATALOG_TTL_MS = 10_000;
/** Requests within this of each other share one computation (several screens, one server). */
const SHARE_MS = 1000;

const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];
const PRESSURE_BASIS =
  'GB 50013-2018 minimum service head (10 m for one storey, 12 m for two, +4 m per further storey: 0.28 MPa for six); compliance rate as CJJ 207-2013 管网压力合格率';
const QUALITY_BASIS = 'GB 5749-2022 表1 (turbidity, pH) and 表2 (free chlorine), latest values';

/**
 * The city overview's figures, computed from the store's newest values and rollups, the alarm
 * service and the intervals the tracker learnt. Site placement and names come from the map
 * config; which points count for which KPI from `selectPoints`.
 */
export class ServerOverview implements OverviewService {
  readonly #o: ServerOverviewOptions;
  readonly #supply: SupplyIntegrator;
  readonly #limits: Map<string, Limit[]>;
  readonly #mapSites: Map<string, OverviewSite>;
  #catalog: { at: number; points: Point[]; selection: Selection } | undefined;
  readonly #shared = new Map<string, { at: number; result: Promise<OverviewKpis> }>();

  constructor(opts: ServerOverviewOptions) {
    this.#o = opts;
    this.#supply = new SupplyIntegrator(opts.store);
    this.#limits = qualityLimits(gb5749RuleSet(), opts.config.quality.profile);
    this.#mapSites = new Map((opts.config.map?.sites ?? []).map((s) => [placeKey(s), s]));
  }

  map(): OverviewMapDocument {
    return this.#o.map;
  }

  kpis(project: string | undefined): Promise<OverviewKpis> {
    const now = this.#o.clock.now();
    const key = project ?? '*';
    const shared = this.#shared.get(key);
    if (shared && now - shared.at < SHARE_MS) return shared.result;
    const result = this.#compute(project, now);
    this.#shared.set(key, { at: now, result });
    // A failed computation is not shared: the next request tries again.
    result.catch(() => this.#shared.delete(key));
    return result;
  }

  async #compute(project: string | undefined, now: number): Promise<OverviewKpis> {
    const { config, store } = this.#o;
    const { points, selection } = await this.#points(now);
    const latest = await store.latest();
    const { staleFactor, defaultIntervalMs } = config.completeness;
    const fresh = (id: string, row: SampleRow): boolean =>
      now - row.ts <= staleFactor * (this.#o.intervals.intervalOf(id) ?? defaultIntervalMs);
    const usable = (id: string): SampleRow | undefined => {
      const row = latest.get(id);
      return row && row.quality === 'good' && fresh(id, row) ? row : undefined;
    };

    const dayStart = startOfLocalDay(now, this.#o.timeZone);
    const supply = await this.#supply.volume(selection.supply, dayStart, now);
    const flows = selection.supply.map((s) => ({ row: usable(s.point.id), factor: s.factor }));
    const flowNow = flows.some((f) => f.row)
      ? flows.reduce((sum, f) => sum + (typeof f.row?.value === 'number' ? f.row.value * f.factor : 0), 0)
      : null;

    let good = 0;
    let stale = 0;
    let bad = 0;
    const perSite = new Map<string, { points: number; fresh: number }>();
    for (const p of points) {
      const place = this.#placeOf(p);
      const s = perSite.get(place) ?? { points: 0, fresh: 0 };
      s.points++;
      perSite.set(place, s);
      const row = latest.get(p.id);
      if (!row || !fresh(p.id, row)) stale++;
      else if (row.quality !== 'good') bad++;
      else {
        good++;
        s.fresh++;
      }
    }

    const states = this.#o.alarms?.list(project !== undefined ? { project } : {}) ?? [];
    const bySeverity = counts();
    const siteAlarms = new Map<string, SeverityCounts>();
    let unacknowledged = 0;
    let active = 0;
    for (const s of states) {
      const st = isaState(s);
      if (st === 'shelved' || st === 'out-of-service') continue; // ISA-18.2 §16: suppressed from the operator
      if (st === 'unack-active' || st === 'unack-cleared') unacknowledged++;
      if (!s.active) continue;
      active++;
      bySeverity[s.severity]++;
      const [site = '', node = ''] = s.point.split('.');
      const place = this.#placeOf({ site, node });
      const c = siteAlarms.get(place) ?? counts();
      c[s.severity]++;
      siteAlarms.set(place, c);
    }

    return {
      at: now,
      dayStart,
      timeZone: this.#o.timeZone,
      supply: {
        volumeM3: supply.volumeM3,
        coverage: supply.coverage,
        flowM3h: flowNow,
        points: selection.supply.map((s) => s.point.id),
      },
      pressure: {
        ...pressureCompliance(selection.pressure, usable, config.pressure),
        minKpa: config.pressure.minKpa,
        ...(config.pressure.maxKpa !== undefined && { maxKpa: config.pressure.maxKpa }),
        basis: PRESSURE_BASIS,
      },
      quality: { ...qualityCompliance(selection.quality, usable, this.#limits), basis: QUALITY_BASIS },
      alarms: { available: this.#o.alarms !== undefined, active, unacknowledged, bySeverity },
      completeness: {
        within: good,
        total: points.length,
        ratio: points.length > 0 ? good / points.length : null,
        stale,
        bad,
        staleFactor,
      },
      sites: this.#sites(perSite, siteAlarms, selection),
    };
  }

  /**
   * Where a point belongs: the map's station `site.gateway` when there is one (the simulator's
   * district stations share their district's site), else the site.
   */
  readonly #placeOf: PlaceOf = (p) => {
    const station = `${p.site}.${p.node}`;
    return this.#mapSites.has(station) ? station : p.site;
  };

  /** The map's sites in their configured order, then every other site with points, by id. */
  #sites(
    perSite: ReadonlyMap<string, { points: number; fresh: number }>,
    alarms: ReadonlyMap<string, SeverityCounts>,
    selection: Selection,
  ): SiteSummary[] {
    const ids = [
      ...this.#mapSites.keys(),
      ...[...perSite.keys()].filter((s) => !this.#mapSites.has(s)).sort(),
    ];
    return ids.map((key) => {
      const m = this.#mapSites.get(key);
      const s = perSite.get(key) ?? { points: 0, fresh: 0 };
      return {
        key,
        site: m?.site ?? key,
        ...(m?.gateway !== undefined && { gateway: m.gateway }),
        ...(m?.name !== undefined && { name: m.name }),
        ...(m?.kind !== undefined && { kind: m.kind }),
        ...(m && { district: m.district }),
        points: s.points,
        fresh: s.fresh,
        alarms: alarms.get(key) ?? counts(),
        keyPoints: (selection.keyPoints.get(key) ?? []).map((p) => ({
          id: p.id,
          ...(p.quantity !== undefined && { quantity: p.quantity }),
          ...(p.unit !== undefined && { unit: p.unit }),
        })),
      };
    });
  }

  async #points(now: number): Promise<{ points: Point[]; selection: Selection }> {
    if (this.#catalog && now - this.#catalog.at < CATALOG_TTL_MS) return this.#catalog;
    const points = await this.#o.store.listPoints();
    const selection = selectPoints(points, this.#o.config, this.#supplySites(points), this.#placeOf);
    this.#supply.retain(new Set(selection.supply.map((s) => s.point.id)));
    this.#catalog = { at: now, points, selection };
    return this.#catalog;
  }

  /** `supply.sites`, else the map's treatment works, else every site (a city of one plant). */
  #supplySites(points: readonly Point[]): Set<string> {
    if (this.#o.config.supply.sites) return new Set(this.#o.config.supply.sites);
    const works = [...this.#mapSites.entries()]
      .filter(([, s]) => s.kind === 'treatment-works')
      .map(([k]) => k);
    return new Set(works.length > 0 ? works : points.map((p) => this.#placeOf(p)));
  }
}

function counts(): SeverityCounts {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
}
