/**
 * The connection to one OPC UA server: client, secure channel and session, with health.
 *
 * node-opcua is the session and transport here. Once a session is up, node-opcua repairs it
 * after a broken connection by itself (reconnect, ActivateSession or a new session, then
 * TransferSubscriptions or re-creation, Part 4 §6.7); the link only follows its events. What
 * node-opcua does not do is give up cleanly on a first connection or a session that cannot be
 * created, so the link runs that outer loop: a fresh client per attempt, capped exponential
 * backoff on the injected clock, until close().
 */
import { isWatershedError, sleep, type Clock, type Logger, type WatershedError } from '@watershed/common';
import type { DriverHealth, LinkState } from '@watershed/driver-sdk';
import {
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  AttributeIds,
  VariableIds,
  type ClientSession,
} from 'node-opcua-client';
import type { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import type { ResolvedOpcuaConfig } from '../config.js';
import { OpcuaErrors } from '../errors.js';
import { describeOffered, mismatch, summarize, type EndpointSummary } from './endpoints.js';
import { NodeOpcuaSession } from './node-opcua-session.js';
import { openCertificateStore, userIdentity } from './pki.js';
import type { UaSession } from './types.js';

/** Told when a session becomes usable (a new one, or the same one restored) and when it is lost. */
export type SessionListener = (session: UaSession | undefined, fresh: boolean) => void;

/** Chunk sizes when the server states no OperationLimits (Part 5 §6.3.11 leaves them open). */
const DEFAULT_LIMITS = { maxNodesPerRead: 1000, maxNodesPerBrowse: 100 };

/**
 * The two OperationLimits the driver chunks by, in one small Read. (node-opcua's own
 * readOperationLimits reads all twelve limits at once, which a server whose MaxNodesPerRead is
 * below twelve refuses with BadTooManyOperations.)
 */
async function readLimits(
  session: ClientSession,
): Promise<{ maxNodesPerRead: number; maxNodesPerBrowse: number }> {
  const ids = [
    VariableIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerRead,
    VariableIds.Server_ServerCapabilities_OperationLimits_MaxNodesPerBrowse,
  ];
  try {
    const values = await session.read(
      ids.map((i) => ({ nodeId: `i=${i}`, attributeId: AttributeIds.Value })),
    );
    const limit = (k: number, def: number): number => {
      const v: unknown = values[k]?.statusCode.value === 0 ? values[k]?.value.value : undefined;
      return typeof v === 'number' && v > 0 ? v : def;
    };
    return {
      maxNodesPerRead: limit(0, DEFAULT_LIMITS.maxNodesPerRead),
      maxNodesPerBrowse: limit(1, DEFAULT_LIMITS.maxNodesPerBrowse),
    };
  } catch {
    return DEFAULT_LIMITS;
  }
}

interface Stats {
  requests: number;
  failures: number;
  timeouts: number;
  reconnects: number;
  lastRttMs?: number;
}

export class OpcuaLink {
  readonly #cfg: ResolvedOpcuaConfig;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #abort = new AbortController();
  readonly #listeners = new Set<SessionListener>();
  readonly #stats: Stats = { requests: 0, failures: 0, timeouts: 0, reconnects: 0 };
  #state: LinkState = 'disconnected';
  #since: number;
  #lastError: { code: string; message: string; at: number } | undefined;
  #client: OPCUAClient | undefined;
  #session: NodeOpcuaSession | undefined;
  #certs: OPCUACertificateManager | undefined;
  #endpoints: EndpointSummary[] = [];
  #running: Promise<void> | undefined;
  #first: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #established = false;

  constructor(cfg: ResolvedOpcuaConfig, clock: Clock, logger: Logger) {
    this.#cfg = cfg;
    this.#clock = clock;
    this.#logger = logger;
    this.#since = clock.now();
  }

  get endpointUrl(): string {
    return this.#cfg.endpointUrl;
  }

  /** Starts the link; resolves once the first attempt has succeeded or failed. */
  start(): Promise<void> {
    if (this.#first) return this.#first;
    let done!: () => void;
    this.#first = new Promise<void>((r) => (done = r));
    this.#running = this.#run(done);
    return this.#first;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  health(): DriverHealth {
    const h = { state: this.#state, since: this.#since, stats: { ...this.#stats } };
    return this.#lastError ? { ...h, lastError: { ...this.#lastError } } : h;
  }

  /** What the server offered at the last GetEndpoints. */
  endpoints(): readonly EndpointSummary[] {
    return this.#endpoints;
  }

  /** The session, while one is usable. */
  session(): UaSession | undefined {
    return this.#state === 'connected' ? this.#session : undefined;
  }

  onSession(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once connected or closed. */
  async connected(): Promise<void> {
    if (this.#state === 'connected' || this.#state === 'closed') return;
    await new Promise<void>((resolve) => {
      const off = this.onSession((s) => {
        if (!s) return;
        off();
        resolve();
      });
      this.#abort.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /**
   * Runs one service call on the session with accounting. Rejects with DISCONNECTED when there
   * is no session, TIMEOUT when node-opcua timed the request out, the call's own error otherwise.
   */
  async call<T>(what: string, fn: (s: UaSession) => Promise<T>): Promise<T> {
    const s = this.session();
    if (this.#state === 'closed') throw OpcuaErrors.CLOSED.create([this.#cfg.endpointUrl]);
    if (!s) throw OpcuaErrors.DISCONNECTED.create([this.#cfg.endpointUrl, this.#state]);
    this.#stats.requests++;
    const t0 = this.#clock.now();
    const timeoutsBefore = this.#stats.timeouts;
    try {
      const r = await fn(s);
      this.#stats.lastRttMs = this.#clock.now() - t0;
      return r;
    } catch (err) {
      this.#stats.failures++;
      // node-opcua reports a timed-out transaction by event, not by a typed error.
      const e =
        this.#stats.timeouts > timeoutsBefore
          ? OpcuaErrors.TIMEOUT.create([what, this.#cfg.requestTimeoutMs], undefined, err)
          : isWatershedError(err)
            ? err
            : OpcuaErrors.SERVICE.create([what, String(err)], undefined, err);
      this.#fail(e);
      throw e;
    }
  }

  async #run(firstDone: () => void): Promise<void> {
    const signal = this.#abort.signal;
    let attempt = 0;
    while (!signal.aborted) {
      let client: OPCUAClient | undefined;
      let session: ClientSession | undefined;
      try {
        this.#setState('connecting');
        this.#certs ??= await openCertificateStore(
          this.#cfg.pkiDir,
          this.#cfg.acceptUnknownServerCertificate,
        );
        client = this.#createClient(this.#certs, firstDone);
        this.#client = client;
        await client.connect(this.#cfg.endpointUrl);
        await this.#checkEndpoints(client);
        session = await this.#openSession(client);
        this.#session = new NodeOpcuaSession(session, await readLimits(session));
        const broken = this.#follow(client, session);
        if (this.#established) this.#stats.reconnects++;
        this.#established = true;
        attempt = 0;
        this.#setState('connected');
        this.#emit(this.#session, true);
        firstDone();
        await broken;
      } catch (err) {
        if (!signal.aborted) this.#fail(toError(err, this.#cfg.endpointUrl));
      }
      firstDone();
      const wasUp = this.#session !== undefined;
      this.#session = undefined;
      if (wasUp) this.#emit(undefined, false);
      await this.#dispose(client);
      if (signal.aborted) break;
      this.#setState('backoff');
      const delay = Math.min(this.#cfg.backoffMaxMs, this.#cfg.backoffMinMs * 2 ** Math.min(attempt++, 16));
      await sleep(this.#clock, delay, signal).catch(() => undefined);
    }
  }

  #createClient(certs: OPCUACertificateManager, firstDone: () => void): OPCUAClient {
    const cfg = this.#cfg;
    const client = OPCUAClient.create({
      applicationName: cfg.applicationName,
      clientName: cfg.applicationName,
      // Host names in the server's endpoint list often differ from the one we dialled (NAT,
      // IP vs name); endpoints are checked by security instead (#checkEndpoints).
      endpointMustExist: false,
      securityMode: MessageSecurityMode[cfg.securityMode],
      securityPolicy: SecurityPolicy[cfg.securityPolicy],
      clientCertificateManager: certs,
      requestedSessionTimeout: cfg.sessionTimeoutMs,
      defaultTransactionTimeout: cfg.requestTimeoutMs,
      // Without a subscription nothing else notices a half-open connection.
      keepSessionAlive: true,
      connectionStrategy: {
        maxRetry: -1,
        initialDelay: cfg.backoffMinMs,
        maxDelay: cfg.backoffMaxMs,
        randomisationFactor: 0.1,
      },
    });
    client.on('backoff', (count: number) => {
      this.#fail(OpcuaErrors.CONNECT.create([cfg.endpointUrl, `attempt ${count + 1} failed`]));
      this.#setState('backoff');
      firstDone();
    });
    client.on('timed_out_request', () => {
      this.#stats.timeouts++;
    });
    return client;
  }

  async #checkEndpoints(client: OPCUAClient): Promise<void> {
    const cfg = this.#cfg;
    this.#endpoints = summarize(await client.getEndpoints());
    const why = mismatch(this.#endpoints, cfg.securityMode, cfg.securityPolicy, cfg.auth);
    if (why !== undefined)
      throw OpcuaErrors.NO_ENDPOINT.create(
        [cfg.endpointUrl, cfg.securityMode, cfg.securityPolicy, describeOffered(this.#endpoints)],
        { missing: why },
      );
  }

  async #openSession(client: OPCUAClient): Promise<ClientSession> {
    try {
      return await client.createSession(userIdentity(this.#cfg.auth));
    } catch (err) {
      if (isWatershedError(err)) throw err;
      throw OpcuaErrors.SESSION.create([this.#cfg.endpointUrl, String(err)], undefined, err);
    }
  }

  /** Mirrors node-opcua's reconnection in our state; resolves when the client is gone for good. */
  #follow(client: OPCUAClient, session: ClientSession): Promise<void> {
    const url = this.#cfg.endpointUrl;
    client.on('connection_lost', () => {
      this.#fail(OpcuaErrors.DISCONNECTED.create([url, 'connection lost']));
      this.#setState('disconnected');
      this.#emit(undefined, false);
    });
    client.on('start_reconnection', () => this.#setState('connecting'));
    client.on('connection_reestablished', () => {
      this.#stats.reconnects++;
      this.#setState('connected');
      this.#emit(this.#session, false);
    });
    return new Promise<void>((resolve) => {
      client.once('close', () => resolve());
      session.once('session_closed', () => resolve());
      this.#abort.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  async #dispose(client: OPCUAClient | undefined): Promise<void> {
    if (!client) return;
    if (this.#client === client) this.#client = undefined;
    client.removeAllListeners();
    // disconnect() closes the session too and cancels a connect still retrying.
    await client.disconnect().catch((err: unknown) => {
      this.#logger.debug({ err }, 'OPC UA disconnect failed');
    });
  }

  async #close(): Promise<void> {
    this.#abort.abort(OpcuaErrors.CLOSED.create([this.#cfg.endpointUrl]));
    await this.#dispose(this.#client);
    await this.#running;
    await this.#certs?.dispose();
    this.#certs = undefined;
    this.#setState('closed');
    this.#listeners.clear();
  }

  #emit(session: UaSession | undefined, fresh: boolean): void {
    for (const l of [...this.#listeners]) {
      try {
        l(session, fresh);
      } catch (err) {
        this.#logger.error({ err }, 'OPC UA session listener failed');
      }
    }
  }

  #fail(err: WatershedError): void {
    this.#lastError = { code: err.code, message: err.message, at: this.#clock.now() };
    this.#logger.debug({ code: err.code }, err.message);
  }

  #setState(s: LinkState): void {
    if (this.#state === s || this.#state === 'closed') return;
    this.#state = s;
    this.#since = this.#clock.now();
    this.#logger.debug({ state: s }, 'OPC UA link state');
  }
}

function toError(err: unknown, url: string): WatershedError {
  if (isWatershedError(err)) return err;
  return OpcuaErrors.CONNECT.create([url, err instanceof Error ? err.message : String(err)], undefined, err);
}
