import { createHash, randomUUID } from 'node:crypto';
import type { Clock, Logger } from '@watershed/common';
import {
  canonicalJson,
  decodeWriteResult,
  mgmtTopic,
  TOPIC_ROOT,
  type ConfigAck,
  type ConfigPush,
  type LogTail,
  type SampleValue,
  type WriteRequest,
  type WriteResult,
} from '@watershed/model';
import type { Broker } from '@watershed/mqtt-broker';
import type { EdgeConfigVersion, Gateway, Json, MetadataStore } from '@watershed/store';
import { MetadataErrors } from '@watershed/store';
import { FleetErrors } from './errors.js';
import { FleetLiveState, type GatewayLiveStatus } from './live-state.js';
import { checkWrite, findTag, tagsOfCatalog, tagsOfConfig, type KnownTag } from './tag-limits.js';
import { Waiters } from './waiters.js';

export interface FleetServiceOptions {
  /** The embedded broker's in-process side. */
  broker: Pick<Broker, 'subscribe' | 'publish'>;
  metadata: Pick<MetadataStore, 'edgeConfigs'>;
  clock: Clock;
  logger: Logger;
  /** How long a push waits for each gateway's ack before answering `timeout`. Default 15 s. */
  ackTimeoutMs?: number;
  /** How long a write waits for its result; also the write's deadline on the gateway. Default 10 s. */
  writeTimeoutMs?: number;
  /** An online gateway silent for longer than this is reported stale. Default 90 s (3 reports). */
  staleAfterMs?: number;
}

export type PushOutcome = ConfigAck['result'] | 'timeout' | 'queued';

/**
 * One gateway's part of a push. `timeout`: no ack in time; `queued`: the gateway is offline.
 * Either way the push stays retained for it, and its ack is recorded when it comes.
 */
export interface PushResult {
  gatewayId: string;
  node: string;
  version: number;
  checksum: string;
  outcome: PushOutcome;
  ack?: ConfigAck;
}

/** The checksum the gateway verifies: hex SHA-256 of the config's canonical JSON (model ConfigPush). */
export function configChecksum(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config), 'utf8').digest('hex');
}

/**
 * The console's side of the management channel (`ws/v1/{site}/{node}/mgmt/...`, issue 8),
 * spoken through the embedded broker's in-process publish/subscribe:
 *  - tracks every gateway's live state from its status (birth and will), reports, log tail,
 *    acks and data (see FleetLiveState);
 *  - pushes config versions (stored in `edgeConfigs` with their checksum, published retained
 *    so a gateway that is offline gets it when it returns) and records every ack it hears,
 *    including those that arrive after the push stopped waiting;
 *  - writes tags after checking them against the config the gateway runs, and returns the
 *    gateway's result with its read-back.
 * Pushes to one node are serialised, so versions are allocated without gaps or races.
 */
export class FleetService {
  readonly #o: Required<Omit<FleetServiceOptions, 'broker' | 'metadata'>> & FleetServiceOptions;
  readonly #state = new FleetLiveState();
  readonly #acks: Waiters<ConfigAck>;
  readonly #writes: Waiters<WriteResult>;
  readonly #unsubscribe: (() => void)[] = [];
  /** Ack recordings in progress: `close` waits for them. */
  readonly #tasks = new Set<Promise<void>>();
  readonly #queues = new Map<string, Promise<unknown>>();
  #closed = false;

  constructor(opts: FleetServiceOptions) {
    this.#o = { ackTimeoutMs: 15_000, writeTimeoutMs: 10_000, staleAfterMs: 90_000, ...opts };
    this.#acks = new Waiters(opts.clock);
    this.#writes = new Waiters(opts.clock);
  }

  /** Subscribes to every gateway's management and data topics (retained ones included). */
  start(): void {
    const { broker } = this.#o;
    for (const channel of ['status', 'metrics', 'log', 'ack', 'write-result'] as const) {
      this.#unsubscribe.push(
        broker.subscribe(
          `${TOPIC_ROOT}/+/+/mgmt/${channel}`,
          (m) => this.#onMessage(m.topic, m.payload, m.receivedAt),
          {
            retained: true,
          },
        ),
      );
    }
    // Data only says "heard from it": lastSeen. The ingest, not this, parses the payloads.
    this.#unsubscribe.push(
      broker.subscribe(`${TOPIC_ROOT}/+/+/+/data`, (m) =>
        this.#state.observe(m.topic, m.payload, m.receivedAt),
      ),
    );
  }

  /** Stops listening, ends pending waits and waits for acks being recorded. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const u of this.#unsubscribe.splice(0)) u();
    this.#acks.cancelAll();
    this.#writes.cancelAll();
    while (this.#tasks.size > 0) await Promise.all([...this.#tasks]);
  }

  status(gateway: Pick<Gateway, 'site' | 'node'>): GatewayLiveStatus {
    return this.#state.status(gateway.site, gateway.node, this.#o.clock.now(), this.#o.staleAfterMs);
  }

  /** The gateway's last published log tail (retained on `mgmt/log`). */
  logs(gateway: Pick<Gateway, 'site' | 'node'>): LogTail | undefined {
    return this.#state.log(gateway.site, gateway.node);
  }

  /**
   * Stores `config` as each gateway's next version and publishes it; resolves when every
   * gateway acked or the ack timeout passed for it. A version above both the highest stored
   * and the one the gateway reports running, so a gateway never refuses it as stale.
   */
  push(gateways: readonly Gateway[], config: Json, author: string): Promise<PushResult[]> {
    return Promise.all(gateways.map((g) => this.#serial(g.node, () => this.#push(g, config, author))));
  }

  /** Pushes the config of an earlier version again, as a new version. */
  async rollback(gateway: Gateway, version: number, author: string): Promise<PushResult> {
    const earlier = await this.#o.metadata.edgeConfigs.get(gateway.node, version);
    if (!earlier) throw FleetErrors.NO_VERSION.create([gateway.node, version]);
    const [result] = await this.push([gateway], earlier.config, author);
    return result!;
  }

  /**
   * Writes `value` (engineering units) to tag `ref` (`group.tag`, or a tag name only one group
   * has) after checking it against the config the gateway runs; resolves with the gateway's
   * result, read-back included. Refused here: unknown or read-only tags, wrong types, values
   * outside [min, max], and gateways that are offline.
   */
  async write(gateway: Gateway, ref: string, value: SampleValue): Promise<WriteResult> {
    this.#open();
    const live = this.status(gateway);
    if (!live.online) throw FleetErrors.OFFLINE.create([gateway.node]);
    const tag = findTag(await this.#knownTags(gateway, live), ref, gateway.node);
    checkWrite(tag, value);
    const { clock, writeTimeoutMs } = this.#o;
    const request: WriteRequest = {
      v: 1,
      id: randomUUID(),
      point: `${gateway.site}.${gateway.node}.${tag.group}.${tag.name}`,
      value,
      expectedType: tag.dataType,
      deadline: clock.now() + writeTimeoutMs,
    };
    const answer = this.#writes.wait(request.id, writeTimeoutMs);
    // Not retained: a command is for now, and the deadline bounds a redelivery [MQTT-3.3.1-5].
    this.#o.broker.publish({
      topic: mgmtTopic(gateway.site, gateway.node, 'write'),
      payload: JSON.stringify(request),
      qos: 1,
    });
    const result = await answer;
    if (!result) throw FleetErrors.WRITE_TIMEOUT.create([gateway.node, request.id, writeTimeoutMs]);
    return result;
  }

  /**
   * Forgets a gateway that was deleted: clears its retained config push, so a gateway later
   * registered under the same node does not receive it, and drops its live state.
   */
  forget(gateway: Pick<Gateway, 'site' | 'node'>): void {
    this.#open();
    this.#o.broker.publish({
      topic: mgmtTopic(gateway.site, gateway.node, 'config'),
      payload: Buffer.alloc(0),
      qos: 1,
      retain: true,
    });
    this.#state.forget(gateway.site, gateway.node);
  }

  async #push(gateway: Gateway, config: Json, author: string): Promise<PushResult> {
    this.#open();
    const { metadata, broker, ackTimeoutMs } = this.#o;
    const latest = await metadata.edgeConfigs.latest(gateway.node);
    const running = this.status(gateway).configVersion ?? 0;
    const version = Math.max(latest?.version ?? 0, running) + 1;
    const checksum = configChecksum(config);
    const stored: EdgeConfigVersion = await metadata.edgeConfigs.append({
      node: gateway.node,
      project: gateway.project,
      version,
      config,
      checksum,
      author,
    });
    const push: ConfigPush = { v: 1, version, checksum, config: stored.config as Record<string, unknown> };
    // An offline gateway gets the retained push when it reconnects; its ack is recorded then.
    const online = this.status(gateway).online;
    const answer = online
      ? this.#acks.wait(ackKey(gateway.site, gateway.node, version), ackTimeoutMs)
      : undefined;
    // Retained, as the model asks: a gateway offline now gets it when it reconnects, and the
    // version check on the gateway makes a redelivery harmless (model ConfigPush).
    broker.publish({
      topic: mgmtTopic(gateway.site, gateway.node, 'config'),
      payload: JSON.stringify(push),
      qos: 1,
      retain: true,
    });
    this.#o.logger.info({ node: gateway.node, version, author }, 'config pushed');
    const base = { gatewayId: gateway.id, node: gateway.node, version, checksum };
    if (!answer) return { ...base, outcome: 'queued' };
    const ack = await answer;
    return ack ? { ...base, outcome: ack.result, ack } : { ...base, outcome: 'timeout' };
  }

  /** Tags of the config the gateway runs, else of its birth catalog (types only, no limits). */
  async #knownTags(gateway: Gateway, live: GatewayLiveStatus): Promise<KnownTag[]> {
    if (live.configVersion !== undefined && live.configVersion > 0) {
      const running = await this.#o.metadata.edgeConfigs.get(gateway.node, live.configVersion);
      if (running) return tagsOfConfig(running.config);
    }
    return tagsOfCatalog(live.catalog ?? []);
  }

  #onMessage(topic: string, payload: Buffer, receivedAt: number): void {
    const seen = this.#state.observe(topic, payload, receivedAt);
    if (seen.kind === 'ack') {
      this.#acks.settle(ackKey(seen.site, seen.node, seen.ack.version), seen.ack);
      this.#track(this.#recordAck(seen.node, seen.ack));
    } else if (seen.kind === 'write-result') {
      const d = decodeWriteResult(seen.payload);
      if (d.ok) this.#writes.settle(d.message.id, d.message);
      else this.#o.logger.warn({ node: seen.node, errors: d.errors }, 'malformed write result ignored');
    }
  }

  /** Every ack is recorded on its version, whether or not a push is still waiting for it. */
  async #recordAck(node: string, ack: ConfigAck): Promise<void> {
    if (ack.version < 1) return; // a push too malformed to carry a version
    const ok = ack.result === 'applied' || ack.result === 'ignored';
    try {
      await this.#o.metadata.edgeConfigs.setAck(node, ack.version, { ok, detail: ackDetail(ack) });
    } catch (err) {
      // A version this console never stored (pushed by another tool): nothing to record it on.
      if (!MetadataErrors.NOT_FOUND.is(err)) throw err;
    }
  }

  #serial<T>(node: string, task: () => Promise<T>): Promise<T> {
    const next = (this.#queues.get(node) ?? Promise.resolve()).then(task);
    const settled = next.catch(() => undefined);
    this.#queues.set(node, settled);
    void settled.then(() => {
      if (this.#queues.get(node) === settled) this.#queues.delete(node);
    });
    return next;
  }

  #track(task: Promise<void>): void {
    const owned = task
      .catch((err: unknown) => this.#o.logger.warn({ err }, 'config ack not recorded'))
      .finally(() => this.#tasks.delete(owned));
    this.#tasks.add(owned);
  }

  #open(): void {
    if (this.#closed) throw FleetErrors.CLOSED.create();
  }
}

function ackKey(site: string, node: string, version: number): string {
  return `${site}/${node}#${version}`;
}

/** `rejected WS_ERR_CONFIG_INVALID: devices.0.driver: …; …` — what the console lists beside a version. */
function ackDetail(ack: ConfigAck): string {
  const issues = (ack.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  const head = ack.code ? `${ack.result} ${ack.code}` : ack.result;
  return issues.length > 0 ? `${head}: ${issues.join('; ')}` : head;
}
