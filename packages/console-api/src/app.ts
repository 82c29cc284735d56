import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { silentLogger, systemClock, type Clock, type Logger, type Registry } from '@watershed/common';
import type { Store } from '@watershed/store';
import type { AlarmService } from '@watershed/alarms';
import { alarmsRoutes } from './alarms/index.js';
import { analyticsRoutes } from './analytics/routes.js';
import type { AnalyticsService } from './analytics/service.js';
import { auditRoutes } from './audit/audit-routes.js';
import type { Access, Auditor } from './auth/access.js';
import { authRoutes } from './auth/auth-routes.js';
import { oidcRoutes } from './auth/oidc/oidc-routes.js';
import type { OidcSettings } from './auth/oidc/settings.js';
import { installAuthentication, type ApiRoute } from './auth/authenticate.js';
import type { ScryptCost } from './auth/password.js';
import type { LoginThrottle } from './auth/throttle.js';
import { brokerRoutes, type BrokerOperations } from './broker/index.js';
import { registerDocs } from './docs.js';
import { installErrorHandling } from './error-handler.js';
import { fleetRoutes, type FleetControl } from './fleet/index.js';
import { overviewRoutes, type OverviewService } from './overview/index.js';
import { exportRoutes } from './routes/export.js';
import { healthRoutes, type HealthProbe } from './routes/health.js';
import { liveRoutes, type LiveFeed } from './routes/live.js';
import { installRequestMetrics, metricsRoutes } from './routes/metrics.js';
import { pointRoutes } from './routes/points.js';
import { seriesRoutes } from './routes/series.js';
import { trendRoutes } from './routes/trend.js';
import { rulesRoutes, type RuleRuntime } from './rules/index.js';
import { metersRoutes, type MeterRegistryService, type MeterUplinkService } from './meters/index.js';
import { sinksRoutes, type SinkRuntime, type SinkStatus } from './sinks/index.js';
import { registerSpa, spaFallback } from './spa.js';
import { apiKeyRoutes, userRoutes } from './users/index.js';

export interface ConsoleApiOptions {
  store: Store;
  live: LiveFeed;
  /** Served at /metrics; the API adds its request metrics to it. */
  metrics: Registry;
  logger?: Logger;
  /** Components besides the store reported by /healthz (broker, sinks …). */
  health?: HealthProbe;
  /** Directory of the built SPA, served at / with index.html for client routes. */
  webRoot?: string;
  /** Reported by /healthz and the OpenAPI document. */
  version?: string;
  /** Time for default series ranges and live-stream pacing; `systemClock` by default. */
  clock?: Clock;
  /** Least time between two live events per connection, default 250 ms. */
  liveMinIntervalMs?: number;
  /** Live-stream heartbeat comment interval, default 15 s. */
  liveHeartbeatMs?: number;
  /** Console sessions, password hashing and login throttling; defaults suit production. */
  auth?: {
    sessionTtlMs?: number;
    passwordCost?: ScryptCost;
    throttle?: LoginThrottle;
    /** Single sign-on through an OpenID Connect provider; off when absent. */
    oidc?: OidcSettings;
  };
  /**
   * The resources backed by services console-api does not own; each is served under /api/v1
   * only when given (the server passes all of them; tests pass what they exercise).
   */
  rules?: RuleRuntime;
  /** Sinks managed at runtime (CRUD, test); a bare SinkStatus serves only the read routes. */
  sinks?: SinkRuntime | SinkStatus;
  /** NB-IoT vendor meters: the HTTP uplink and the meter registry. */
  meters?: { uplink?: MeterUplinkService; registry?: MeterRegistryService; bodyLimit?: number };
  broker?: BrokerOperations;
  fleet?: FleetControl;
  alarms?: AlarmService;
  /** Water analytics: district balance and night flow, meter health, GB 5749, data quality. */
  analytics?: AnalyticsService;
  /** The city overview: KPIs and the network map. */
  overview?: OverviewService;
}

/** What every resource plugin under /api/v1 receives besides its own services. */
export interface ResourceContext {
  access: Access;
  auditor: Auditor;
  clock: Clock;
}

const routeTables = new WeakMap<FastifyInstance, readonly ApiRoute[]>();

/**
 * The authenticated routes of an app built by buildConsoleApi, each with the role its guard
 * demands: what the authorisation matrix test walks.
 */
export function apiRoutes(app: FastifyInstance): readonly ApiRoute[] {
  return routeTables.get(app) ?? [];
}

/**
 * Builds (does not start) the console API. The caller owns the instance: `listen` to serve,
 * `close` to stop (which also ends open live streams). The store and the live feed stay the
 * caller's to close.
 */
export async function buildConsoleApi(opts: ConsoleApiOptions): Promise<FastifyInstance> {
  const clock = opts.clock ?? systemClock;
  const app = Fastify({
    // The caller names the component (its child logger); fastify adds reqId per request.
    loggerInstance: opts.logger ?? silentLogger(),
    // Per-request lines at info would drown the log (the console polls, Prometheus scrapes);
    // they are logged at debug in the request-metrics hook, errors at error in the handler.
    logController: new LogController({ disableRequestLogging: true }),
    // close() must not wait on keep-alive clients; live streams are ended first, in preClose.
    forceCloseConnections: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const root = app as unknown as FastifyInstance;

  installErrorHandling(root, opts.webRoot ? { fallback: spaFallback } : {});
  installRequestMetrics(root, opts.metrics);
  await registerDocs(root, opts.version ?? '0.0.0');

  await app.register(
    async (api) => {
      // First, so its onRoute hook sees every route registered after it: every /api/v1 route
      // is authenticated unless it declares itself public (login).
      const { access, auditor, routes } = installAuthentication(api, { metadata: opts.store.metadata });
      routeTables.set(root, routes);
      const ctx: ResourceContext = { access, auditor, clock };
      const metadata = opts.store.metadata;
      await api.register(authRoutes, { metadata, ...ctx, ...opts.auth });
      await api.register(oidcRoutes, {
        metadata,
        clock,
        settings: opts.auth?.oidc,
        ...(opts.auth?.sessionTtlMs !== undefined && { sessionTtlMs: opts.auth.sessionTtlMs }),
      });
      await api.register(userRoutes, {
        metadata,
        ...ctx,
        ...(opts.auth?.passwordCost && { passwordCost: opts.auth.passwordCost }),
      });
      await api.register(apiKeyRoutes, { metadata, ...ctx });
      await api.register(auditRoutes, { metadata, access });
      const store = opts.store;
      if (opts.rules) await api.register(rulesRoutes, { ...ctx, store, runtime: opts.rules });
      if (opts.sinks)
        await api.register(sinksRoutes, {
          ...ctx,
          store,
          ...(isSinkRuntime(opts.sinks) ? { runtime: opts.sinks } : { sinks: opts.sinks }),
        });
      if (opts.meters) {
        const { uplink, registry, bodyLimit } = opts.meters;
        await api.register(metersRoutes, {
          access,
          ...(uplink && { uplink }),
          ...(registry && { registry }),
          ...(typeof bodyLimit === 'number' && { bodyLimit }),
        });
      }
      if (opts.broker) await api.register(brokerRoutes, { ...ctx, broker: opts.broker });
      if (opts.fleet) await api.register(fleetRoutes, { ...ctx, store, fleet: opts.fleet });
      if (opts.alarms) await api.register(alarmsRoutes, { ...ctx, alarms: opts.alarms });
      if (opts.overview) await api.register(overviewRoutes, { access, overview: opts.overview });
      if (opts.analytics) await api.register(analyticsRoutes, { access, analytics: opts.analytics, clock });
      await api.register(pointRoutes, { store: opts.store });
      await api.register(seriesRoutes, { store: opts.store, clock });
      await api.register(trendRoutes, { store: opts.store, clock });
      await api.register(exportRoutes, { store: opts.store, clock });
      await api.register(liveRoutes, {
        live: opts.live,
        clock,
        ...(opts.liveMinIntervalMs !== undefined && { minIntervalMs: opts.liveMinIntervalMs }),
        ...(opts.liveHeartbeatMs !== undefined && { heartbeatMs: opts.liveHeartbeatMs }),
      });
    },
    { prefix: '/api/v1' },
  );
  await app.register(healthRoutes, {
    store: opts.store,
    clock,
    ...(opts.health && { health: opts.health }),
    ...(opts.version !== undefined && { version: opts.version }),
  });
  await app.register(metricsRoutes, { metrics: opts.metrics });
  if (opts.webRoot) await registerSpa(root, opts.webRoot);
  return root;
}

/** A sink runtime manages sinks (create, change, test); a bare status only reports them. */
function isSinkRuntime(s: SinkRuntime | SinkStatus): s is SinkRuntime {
  return typeof (s as Partial<SinkRuntime>).validate === 'function';
}
