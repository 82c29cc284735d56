import type { OverviewKpis, OverviewMap } from './schemas.js';

/** The map as served: the document and its entity tag, computed once (the map changes with the config only). */
export interface OverviewMapDocument {
  /** A strong entity tag, quoted (RFC 9110 §8.8.3). */
  etag: string;
  map: OverviewMap;
  /** `map` serialised once, sent as is. */
  json: string;
}

/**
 * What the city overview needs from the server (implemented in apps/server/src/overview).
 * Both calls are cheap enough to answer on every request of a wall display refreshing every
 * few seconds: the implementation caches what does not change.
 */
export interface OverviewService {
  /**
   * The KPIs now. `project` limits what is project-scoped (alarms) to one project; undefined =
   * every project (installation-wide principals).
   */
  kpis(project: string | undefined): Promise<OverviewKpis>;
  /** The network drawing; `configured: false` and no features when the server has no map. */
  map(): OverviewMapDocument;
}
