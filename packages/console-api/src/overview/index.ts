/** The city overview resource: `overviewRoutes` and the OverviewService contract `apps/server` implements. */
export { overviewRoutes, type OverviewRoutesOptions } from './routes.js';
export type { OverviewMapDocument, OverviewService } from './service.js';
export { OverviewKpis, OverviewMap, SiteSummary, SeverityCounts, type OverviewFeature } from './schemas.js';
