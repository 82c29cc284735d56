import { gb5749RuleSet, type RoleMapping, type RuleSet } from '@watershed/alarms';
import type {
  AnalyticsService,
  DataQualityPage,
  DataQualityRequest,
  DistrictReport,
  DistrictSummary,
  MeterHealthPage,
  MeterHealthRequest,
  ProjectScope,
  QualityCompliance,
  QualityReport,
  QualityRequest,
  TimeRange,
} from './wire.js';
import { systemClock, type Clock } from '@watershed/common';
import type { Store } from '@watershed/store';
import { DAY_MS, complianceLimitsFromRuleSet, localDayStart, type ComplianceLimit } from '@watershed/water';
import { districtDays, settingsOf } from './balance.js';
import { TtlCache } from './cache.js';
import { analyticsSettings, type AnalyticsConfig } from './config.js';
import { resolveDistricts, siteProject, type District } from './districts.js';
import { districtMeters } from './meters.js';
import { complianceResolution, pointCompliance, pointDataQuality } from './quality.js';
import { qualityPoints } from './quality-points.js';

export interface StoreAnalyticsOptions {
  store: Store;
  /** The server config's `analytics` section as loaded (defaults are filled in here when absent). */
  config?: unknown;
  /** Limits for compliance; default GB 5749-2022 as the alarms package ships it. */
  ruleSet?: RuleSet;
  /**
   * Quality points mapped for the alarms' GB 5749 rule set (`alarms.ruleSets[].mapping`): used
   * when `analytics.quality.points` is absent, so alarms and compliance watch the same points.
   */
  qualityMappings?: readonly RoleMapping[];
  clock?: Clock;
  /** How long a district's summary (the list's today/yesterday) is reused, ms; default 60 s, 0 = never. */
  summaryTtlMs?: number;
}

const visible = (scope: ProjectScope, project: string): boolean => scope === undefined || scope === project;

/**
 * The console's water analytics computed from the store with `@watershed/water`. Stateless
 * between calls: districts, meters and quality points are resolved from the store's points on
 * every call, so a new gateway or meter counts at once.
 */
export class StoreAnalyticsService implements AnalyticsService {
  readonly #store: Store;
  readonly #cfg: AnalyticsConfig;
  readonly #ruleSet: RuleSet;
  readonly #limits: ComplianceLimit[];
  readonly #mappings: readonly RoleMapping[] | undefined;
  readonly #summaries: TtlCache<DistrictSummary>;

  constructor(opts: StoreAnalyticsOptions) {
    this.#store = opts.store;
    this.#cfg = analyticsSettings(opts.config);
    this.#ruleSet = opts.ruleSet ?? gb5749RuleSet();
    this.#limits = complianceLimitsFromRuleSet(this.#ruleSet, this.#cfg.quality.profile ?? 'standard');
    this.#mappings = this.#cfg.quality.points ?? opts.qualityMappings;
    this.#summaries = new TtlCache(opts.clock ?? systemClock, opts.summaryTtlMs ?? 60_000);
  }

  async districts(scope: ProjectScope, now: number): Promise<DistrictSummary[]> {
    const today = localDayStart(now, this.#cfg.tzOffsetMinutes);
    const out: DistrictSummary[] = [];
    for (const d of await this.#districts(scope)) {
      // Reading every meter of a district takes a while; the list is shared by every viewer.
      const key = `${d.id}|${d.project}|${today}|${d.meterPoints.length}|${d.inflowPoints.join(',')}`;
      out.push(await this.#summaries.get(key, () => this.#summary(d, today, now)));
    }
    return out;
  }

  async #summary(d: District, today: number, now: number): Promise<DistrictSummary> {
    const days = await districtDays(this.#store, this.#cfg, d, today - DAY_MS, now);
    const todayRow = days.find((x) => x.start === today) ?? null;
    const yesterday = days.find((x) => x.start === today - DAY_MS) ?? null;
    const leak = todayRow?.mnfM3h != null ? todayRow.leak : (yesterday?.leak ?? false);
    return { ...info(d), today: todayRow, yesterday, leak };
  }

  async district(id: string, range: TimeRange, scope: ProjectScope): Promise<DistrictReport | undefined> {
    const d = (await this.#districts(scope)).find((x) => x.id === id);
    if (!d) return undefined;
    const days = await districtDays(this.#store, this.#cfg, d, range.from, range.to);
    return { district: info(d), from: range.from, to: range.to, settings: settingsOf(this.#cfg), days };
  }

  async meters(
    id: string,
    query: MeterHealthRequest,
    scope: ProjectScope,
  ): Promise<MeterHealthPage | undefined> {
    const d = (await this.#districts(scope)).find((x) => x.id === id);
    return d ? districtMeters(this.#store, d, query) : undefined;
  }

  async quality(query: QualityRequest, scope: ProjectScope): Promise<QualityReport> {
    const points = await this.#store.listPoints(query.site !== undefined ? { site: query.site } : {});
    const projects = new Map<string, Promise<string>>();
    const projectOf = (site: string): Promise<string> => {
      let p = projects.get(site);
      if (!p) projects.set(site, (p = siteProject(this.#store, this.#cfg, site)));
      return p;
    };
    const items: QualityCompliance[] = [];
    const wanted = qualityPoints(points, this.#mappings).filter(
      (q) => query.site === undefined || q.site === query.site,
    );
    for (const q of wanted.sort((a, b) => a.point.localeCompare(b.point))) {
      if (!visible(scope, await projectOf(q.site))) continue;
      const r = await pointCompliance(this.#store, this.#limits, q, query.from, query.to);
      if (r) items.push(r);
    }
    return {
      standard: this.#ruleSet.standard.code,
      profile: this.#cfg.quality.profile ?? 'standard',
      resolutionMs: complianceResolution(query.from, query.to),
      from: query.from,
      to: query.to,
      items,
    };
  }

  async dataQuality(query: DataQualityRequest, scope: ProjectScope): Promise<DataQualityPage | undefined> {
    const all = await this.#store.listPoints({
      site: query.site,
      ...(query.node !== undefined ? { node: query.node } : {}),
    });
    if (!visible(scope, await siteProject(this.#store, this.#cfg, query.site))) return undefined;
    if (all.length === 0 && !(await this.#store.metadata.sites.get(query.site))) return undefined;
    const numeric = all
      .filter((p) => query.group === undefined || p.group === query.group)
      .filter((p) => p.dataType !== 'string' && p.dataType !== 'bool')
      .sort((a, b) => a.id.localeCompare(b.id));
    const items = [];
    for (const p of numeric.slice(query.offset, query.offset + query.limit)) {
      items.push(await pointDataQuality(this.#store, p, query));
    }
    return {
      site: query.site,
      from: query.from,
      to: query.to,
      total: numeric.length,
      offset: query.offset,
      items,
    };
  }

  async #districts(scope: ProjectScope): Promise<District[]> {
    return (await resolveDistricts(this.#store, this.#cfg)).filter((d) => visible(scope, d.project));
  }
}

function info(d: District) {
  return {
    id: d.id,
    name: d.name,
    project: d.project,
    inflowPoints: d.inflowPoints,
    meters: d.meterPoints.length,
    properties: d.properties,
  };
}
