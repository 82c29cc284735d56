import {
  createMetricsRegistry,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type Registry,
} from '@watershed/common';
import { LiveHub, buildConsoleApi } from '@watershed/console-api';
import {
  loadBrokerConfig,
  startBroker,
  type Broker,
  type BrokerConfig,
  type RunningListener,
} from '@watershed/mqtt-broker';
import { brokerMessageSource, type RuleEngine } from '@watershed/rule-engine';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { startServerAlarms } from './alarms/index.js';
import { startBridges } from './bridges/index.js';
import { createAnalyticsService } from './analytics/index.js';
import { startServerOverview } from './overview/index.js';
import { bootstrapAdmin, type InitialAdmin } from './auth/bootstrap.js';
import { startSessionPruning } from './auth/session-pruning.js';
import { kickOnRevoke, withGatewayRepository } from './broker-admin/gateway-revocation.js';
import { openBrokerOperations } from './broker-admin/operations.js';
import { checkServerConfig } from './check-config.js';
import type { ServerConfig } from './config.js';
import { FleetService } from './fleet/fleet-service.js';
import { GatewayAuthSource, withGatewayAuth } from './fleet/gateway-auth.js';
import { Ingest, type IngestStats } from './ingest.js';
import { startServerRules } from './rules/server-rules.js';
import { startMeters, type RunningMeters } from './meters/index.js';
import { startSinkRuntime, type ServerSinkRuntime } from './sinks.js';
import { storeSink } from './store-sink.js';

export interface RunningServer {
  /** Port of the first MQTT listener. */
  readonly mqttPort: number;
  /** Every MQTT listener (name, type, host, bound port, URL). */
  readonly mqttListeners: readonly RunningListener[];
  readonly apiPort: number;
  /** Base URL of the console and API, e.g. http://127.0.0.1:8080 */
  readonly apiUrl: string;
  readonly broker: Broker;
  readonly store: Store;
  readonly rules: RuleEngine;
  /** The sinks: the config file's `sinks:` and those made through the console (not `store`). */
  readonly sinks: ServerSinkRuntime;
  readonly metrics: Registry;
  /** NB-IoT vendor meter ingest (MQTT vendors and the HTTP uplink) and the meter registry. */
  readonly meters: RunningMeters;
  /** Set when this start created the first console user (a fresh installation). */
  readonly initialAdmin?: InitialAdmin;
  ingest(): IngestStats;
  /** Stops taking connections, flushes the store and closes everything; idempotent. */
  close(): Promise<void>;
}

export interface ServerOptions {
  config: ServerConfig;
  clock?: Clock;
  logger?: Logger;
  version?: string;
}

/**
 * The cloud composition root: MQTT broker → ingest → embedded store → console API (+ SPA),
 * and broker → rule engine → sinks.
 * Starts in dependency order and closes in reverse, so no accepted sample is lost on Ctrl-C:
 * listeners stop first, then the ingest drains into the store, then the store flushes.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { config } = opts;
  checkServerConfig(config);
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger();
  const metrics = createMetricsRegistry({ processMetrics: true });
  const cleanup: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const c of cleanup.splice(0).reverse()) {
      await c().catch((err: Error) => logger.error({ err: err.message }, 'error during shutdown'));
    }
  };

  try {
    const store = await openEmbeddedStore({
      dir: config.dataDir,
      clock,
      logger: logger.child({ component: 'store' }),
    });
    cleanup.push(() => store.close());
    const initialAdmin = await bootstrapAdmin({
      metadata: store.metadata,
      dataDir: config.dataDir,
      logger: logger.child({ component: 'auth' }),
      ...(config.console?.adminPassword !== undefined && { password: config.console.adminPassword }),
    });
    const sessionPruning = startSessionPruning({
      sessions: store.metadata.sessions,
      clock,
      logger: logger.child({ component: 'auth' }),
    });
    cleanup.push(() => sessionPruning.stop());

    // Sinks (the config file's and the console's), closed after the rules (no more rows) and
    // before the store (the tsdb sink drains into it); each keeps what it could not send on
    // disk for the next start.
    const sinks = await startSinkRuntime({
      store,
      clock,
      logger: logger.child({ component: 'sinks' }),
      dataDir: config.dataDir,
      fileSinks: config.sinks,
      metrics,
    });
    cleanup.push(() => sinks.close());

    // Listeners start later, once everything that consumes messages is in place.
    // Registered edge gateways log in with the credentials the console issued them, each
    // confined to its own topic space; other clients go on to the configured sources.
    const fleetLog = logger.child({ component: 'fleet' });
    const brokerCfg = withGatewayAuth(
      brokerConfig(config),
      new GatewayAuthSource(store.metadata.gateways, fleetLog),
    );
    const mqtt = await startBroker(brokerCfg, {
      clock,
      logger: logger.child({ component: 'broker' }),
      metrics,
    });
    const broker = mqtt.broker;
    cleanup.push(() => mqtt.close());
    const brokerOps = openBrokerOperations(mqtt, {
      config: brokerCfg,
      logger: logger.child({ component: 'broker-admin' }),
    });
    cleanup.push(() => Promise.resolve(brokerOps.close()));

    const live = new LiveHub({ logger: logger.child({ component: 'live' }) });
    const ingest = new Ingest({
      source: broker,
      store,
      logger: logger.child({ component: 'ingest' }),
      emit: (rows) => live.publish(rows),
    });
    // The cloud rule engine, fed by the broker through its narrow message-source interface.
    const builtinSinks = new Map([['store', storeSink(store, () => clock.now())]]);
    // Rules live in the store (config-file rules are seeded once) and change through the API.
    const serverRules = await startServerRules({
      source: brokerMessageSource(broker, () => clock.now()),
      store,
      sinks: { get: (id: string) => sinks.forRules.get(id) ?? builtinSinks.get(id) },
      clock,
      logger: logger.child({ component: 'rules' }),
      metrics,
      configRules: config.rules,
      dataDir: config.dataDir,
    });
    const rules = serverRules.engine;
    // Alarms evaluate what the ingest has stored (the live feed), state kept in the store.
    const alarms = await startServerAlarms({
      store,
      live,
      clock,
      logger: logger.child({ component: 'alarms' }),
      metrics,
      ...(config.alarms && { config: config.alarms }),
    });
    // NB-IoT vendor meters: decoded from the broker (MQTT vendors) and the uplink route (HTTP).
    const meters = await startMeters({
      ...(config.meters && { config: config.meters }),
      store,
      source: broker,
      logger: logger.child({ component: 'meters' }),
      emit: (rows) => live.publish(rows),
      metrics,
    });

    // Closed in reverse: API, then the broker (no new messages), then rules and the ingest drain
    // into the store, which flushes last.
    // Alarms close after the ingest drained into the store (their feed) and before the store.
    cleanup.push(() => alarms.close());
    cleanup.push(() => ingest.close());
    cleanup.push(() => meters.close());
    cleanup.push(() => serverRules.close());
    // Stops the listeners and clients before the rules and the ingest drain (cleanup runs in
    // reverse); the broker itself, with its authentication sources, closes last of the three.
    cleanup.push(() => broker.close());
    // Bridges pull remote brokers' messages (a plant's, behind the firewall) into this one; they
    // stop before the broker (cleanup runs in reverse). A remote that is down never holds up the
    // start: the bridge reconnects on its own and /healthz says it is down.
    const bridges = startBridges({
      config: config.bridges,
      broker,
      clock,
      logger: logger.child({ component: 'bridges' }),
      metrics,
    });
    cleanup.push(() => bridges.close());
    // Closed before the broker, so no push or write waits on a broker that is gone.
    const fleet = new FleetService({ broker, metadata: store.metadata, clock, logger: fleetLog });
    fleet.start();
    cleanup.push(() => fleet.close());

    // The city overview: its map's network models are read and simplified once, here.
    const overview = await startServerOverview({
      config: config.overview,
      store,
      live,
      alarms: alarms.service,
      clock,
      logger: logger.child({ component: 'overview' }),
    });
    cleanup.push(() => Promise.resolve(overview.close()));

    const api = await buildConsoleApi({
      // The console's gateway revocations and rotations also end the gateway's live connection.
      store: withGatewayRepository(store, kickOnRevoke(store.metadata.gateways, brokerOps.admin, fleetLog)),
      live,
      metrics,
      logger: logger.child({ component: 'api' }),
      ...(config.web.root ? { webRoot: config.web.root } : {}),
      ...(opts.version ? { version: opts.version } : {}),
      rules: serverRules.runtime,
      sinks,
      meters: { uplink: meters.uplink, registry: meters.registry, bodyLimit: meters.bodyLimit },
      ...(config.console.oidc && { auth: { oidc: config.console.oidc } }),
      broker: brokerOps.operations,
      fleet,
      alarms: alarms.service,
      analytics: createAnalyticsService({ config, store, clock }),
      overview: overview.service,
      health: () => ({
        broker: { ok: true, detail: `${broker.stats().clients} clients` },
        ingest: { ok: true, detail: `${ingest.stats().messages} messages` },
        rules: { ok: true, detail: `${rules.listRules().length} rules` },
        ...bridges.healthChecks(),
        // A sink whose peer is down is queueing as designed: reported, not a server fault.
        // One dropping rows (its disk queue full) is losing data: the server is degraded.
        ...Object.fromEntries(
          Object.entries(sinks.health()).map(([id, h]) => [
            `sink:${id}`,
            { ok: !h.alarm, detail: h.detail ? `${h.state}: ${h.detail}` : h.state },
          ]),
        ),
      }),
    });
    cleanup.push(() => api.close());
    await api.listen({ host: config.api.host, port: config.api.port });
    const address = api.server.address();
    const apiPort = typeof address === 'object' && address ? address.port : config.api.port;
    const shownHost =
      config.api.host === '0.0.0.0' || config.api.host === '::' ? '127.0.0.1' : config.api.host;
    const mqttPort = mqtt.listeners[0]!.port;
    logger.info({ mqttPort, apiPort, dataDir: config.dataDir }, 'server started');

    let closing: Promise<void> | undefined;
    return {
      mqttPort,
      mqttListeners: mqtt.listeners,
      apiPort,
      apiUrl: `http://${shownHost}:${apiPort}`,
      broker,
      store,
      rules,
      sinks,
      metrics,
      meters,
      ...(initialAdmin && { initialAdmin }),
      ingest: () => ingest.stats(),
      close: () => (closing ??= closeAll().then(() => logger.info('server stopped'))),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/**
 * The broker's config: the `broker` section, or else one TCP listener from `mqtt`. Anonymous
 * access is never a default: without a broker section it is allowed only on a loopback address
 * (`watershed up`), where the broker logs that it is.
 */
function brokerConfig(config: ServerConfig): BrokerConfig {
  if (config.broker) return loadBrokerConfig({ value: config.broker, label: 'server config: broker' });
  const { host, port } = config.mqtt;
  return loadBrokerConfig({
    value: {
      listeners: [{ name: 'mqtt', type: 'tcp', host, port, auth: { allowAnonymous: LOOPBACK.test(host) } }],
      // No flapping ban here: gateways reconnecting after an outage must not lock themselves out.
      flapping: { enabled: false },
      // A gateway's birth status carries its whole tag catalog: 30,000 tags are ~1.1 MB, over
      // the broker's 1 MiB default (docs/benchmarks.md, Edge suite). Until the catalog is sent
      // in parts, the platform's own listener accepts packets up to 16 MiB.
      limits: { maxPacketSize: 16 * 1024 * 1024 },
    },
    label: 'server config: mqtt',
  });
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;
