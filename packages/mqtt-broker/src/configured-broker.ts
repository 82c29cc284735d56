import { silentLogger, systemClock, type Clock, type Logger, type Registry } from '@watershed/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecurityEditor } from './admin/security-editor.js';
import { MemorySecurityStore, SqliteSecurityStore } from './admin/security-store.js';
import type { ScryptParams } from './auth/password.js';
import { AccessControl, type ListenerPolicy } from './auth/access-control.js';
import { MqttBroker } from './broker.js';
import { listenerName } from './config/load.js';
import type { BrokerConfig, ListenerConfig } from './config/schema.js';
import { openSqlitePersistence } from './persistence/sqlite-persistence.js';
import type { Broker, Listener } from './types.js';

export interface StartBrokerDeps {
  clock?: Clock;
  logger?: Logger;
  metrics?: Registry;
  /** scrypt cost of passwords set at runtime (tests lower it); default the broker's. */
  hashParams?: ScryptParams;
}

export interface RunningListener {
  readonly name: string;
  readonly type: ListenerConfig['type'];
  readonly host: string;
  /** The bound port (the OS's choice when configured as 0). */
  readonly port: number;
  /** e.g. `mqtt://0.0.0.0:1883`, `wss://0.0.0.0:8084/mqtt`. */
  readonly url: string;
}

export interface RunningBroker {
  readonly broker: Broker;
  readonly access: AccessControl;
  /** The operator's runtime users and ACL rules (kept in the state file when persistence is on). */
  readonly security: SecurityEditor;
  readonly listeners: readonly RunningListener[];
  /** Closes listeners and clients; idempotent. */
  close(): Promise<void>;
}

const SCHEME = { tcp: 'mqtt', tls: 'mqtts', ws: 'ws', wss: 'wss' } as const;
const LOOPBACK = /^(127\.|::1$|localhost$)/;

/**
 * Starts a broker from a validated config (see `loadBrokerConfig`): access control from
 * users/acl/banned/flapping, limits and rate limits, then every listener. If a listener cannot
 * start, the ones already started are closed and the error is rethrown.
 */
export async function startBroker(config: BrokerConfig, deps: StartBrokerDeps = {}): Promise<RunningBroker> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger();
  const policies = new Map<string, ListenerPolicy>(
    config.listeners.map((l) => [
      listenerName(l),
      {
        allowAnonymous: l.auth.allowAnonymous,
        sources: l.auth.sources,
        aclDefault: l.acl.default,
        enhanced: l.auth.enhanced,
      },
    ]),
  );
  const access = new AccessControl({
    clock,
    logger,
    nodeName: config.nodeName,
    ...(deps.metrics && { metrics: deps.metrics }),
    users: config.users,
    acl: config.acl,
    listeners: policies,
    // Every connection comes through a named listener; anything else is refused.
    defaultPolicy: { allowAnonymous: false, sources: ['password'], aclDefault: 'deny' },
    bans: config.banned.map((b) => ({
      ...(b.clientId !== undefined && { clientId: b.clientId }),
      ...(b.username !== undefined && { username: b.username }),
      ...(b.ip !== undefined && { ip: b.ip }),
      ...(b.until !== undefined && { until: Date.parse(b.until) }),
      reason: 'config',
    })),
    ...(config.flapping.enabled && {
      flapping: {
        maxConnects: config.flapping.maxConnects,
        windowMs: config.flapping.windowS * 1000,
        banMs: config.flapping.banS * 1000,
      },
    }),
  });
  // Opened first: a damaged or too-new state file stops the start before any port is bound.
  const persistence = config.persistence.enabled
    ? openSqlitePersistence({
        file: persistenceFile(config.persistence),
        syncMode: config.persistence.syncMode,
        logger,
      })
    : undefined;
  // Runtime users and rules are installed before any listener accepts a CONNECT.
  const durable = persistence !== undefined && persistence.location !== ':memory:';
  const securityStore = durable ? new SqliteSecurityStore(persistence.location) : new MemorySecurityStore();
  let security: SecurityEditor;
  try {
    security = new SecurityEditor({
      access,
      fileUsers: config.users,
      fileAcl: config.acl,
      store: securityStore,
      persistent: durable,
      clock,
      logger,
      ...(deps.hashParams && { hashParams: deps.hashParams }),
    });
  } catch (err) {
    securityStore.close();
    await persistence?.close();
    throw err;
  }
  const broker = new MqttBroker({
    ...(persistence && { persistence }),
    clock,
    logger,
    ...(deps.metrics && { metrics: deps.metrics }),
    nodeName: config.nodeName,
    sysIntervalMs: config.sysIntervalMs,
    authenticate: access.authenticate,
    enhancedAuth: access.enhancedAuth,
    authorizePublish: access.authorizePublish,
    authorizeSubscribe: access.authorizeSubscribe,
    limits: {
      ...config.limits,
      ...(config.rateLimits.messagesPerS !== undefined && {
        maxMessagesPerSecond: config.rateLimits.messagesPerS,
      }),
      ...(config.rateLimits.bytesPerS !== undefined && { maxBytesPerSecond: config.rateLimits.bytesPerS }),
    },
  });
  const running: RunningListener[] = [];
  try {
    for (const l of config.listeners) {
      const bound = await listen(broker, l);
      const path = l.type === 'ws' || l.type === 'wss' ? (l.path ?? '/mqtt') : '';
      running.push({
        name: listenerName(l),
        type: l.type,
        host: l.host,
        port: bound.port,
        url: `${SCHEME[l.type]}://${l.host}:${bound.port}${path}`,
      });
    }
  } catch (err) {
    await broker.close();
    await access.close();
    securityStore.close();
    throw err;
  }
  logger.info({ node: config.nodeName, listeners: running.map((l) => l.url) }, 'MQTT broker started');
  for (const l of config.listeners) {
    if (!l.auth.allowAnonymous) continue;
    // Anonymous access is an explicit choice per listener; say so, loudly beyond loopback.
    const where = { listener: listenerName(l), host: l.host };
    if (LOOPBACK.test(l.host)) logger.info(where, 'anonymous MQTT clients allowed (loopback only)');
    else logger.warn(where, 'anonymous MQTT clients allowed on a non-loopback listener');
  }
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await broker.close();
    // After the clients: an authentication in progress may still be waiting on a source.
    await access.close();
    securityStore.close();
  };
  return { broker, access, security, listeners: running, close: () => (closing ??= close()) };
}

function listen(broker: MqttBroker, l: ListenerConfig): Promise<Listener> {
  const common = {
    host: l.host,
    port: l.port,
    name: listenerName(l),
    ...(l.maxConnections !== undefined && { maxConnections: l.maxConnections }),
  };
  switch (l.type) {
    case 'tcp':
      return broker.listenTcp(common);
    case 'tls':
      return broker.listenTls({ ...common, ...tlsOptions(l) });
    case 'ws':
      return broker.listenWs({ ...common, ...(l.path !== undefined && { path: l.path }) });
    case 'wss':
      return broker.listenWs({
        ...common,
        ...(l.path !== undefined && { path: l.path }),
        tls: tlsOptions(l),
      });
  }
}

/** Files are read at start; `checkBrokerConfig` has already said which ones are missing. */
function tlsOptions(l: ListenerConfig): {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer;
  requestCert: boolean;
  rejectUnauthorized: boolean;
} {
  return {
    key: readFileSync(l.keyFile!),
    cert: readFileSync(l.certFile!),
    ...(l.caFile !== undefined && { ca: readFileSync(l.caFile) }),
    // Mutual TLS: a client without a certificate signed by the CA fails the handshake.
    requestCert: l.requestClientCert,
    rejectUnauthorized: l.requestClientCert,
  };
}

/** The state file: `file` when given, else `mqtt-broker.db` in `dir` (default `data`). */
export function persistenceFile(p: BrokerConfig['persistence']): string {
  return p.file ?? join(p.dir ?? 'data', 'mqtt-broker.db');
}
