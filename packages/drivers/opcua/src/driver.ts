/**
 * The OPC UA client driver: polled reads batched into Read calls, typed writes, monitored-item
 * subscriptions and browsing, over one OpcuaLink (client + session, reconnecting by itself).
 */
import type { Logger } from '@watershed/common';
import type {
  Browsable,
  BrowseNode,
  Driver,
  DriverContext,
  DriverHealth,
  Readable,
  Subscribable,
  Subscription,
  TagRef,
  Writable,
} from '@watershed/driver-sdk';
import type { Sample, SampleValue } from '@watershed/model';
import { parseAddress, type OpcuaAddress } from './address.js';
import { browseTree } from './browse.js';
import { encodeWrite } from './codec/values.js';
import { qualityOf } from './codec/status.js';
import type { OpcuaConfig, ResolvedOpcuaConfig } from './config.js';
import { resolveConfig } from './config.js';
import { OpcuaErrors } from './errors.js';
import { readTags } from './read.js';
import type { EndpointSummary } from './session/endpoints.js';
import { OpcuaLink } from './session/link.js';
import { monitorParams, TagSubscription, type MonitoredTag, type SubscribeOptions } from './subscribe.js';

export class OpcuaClientDriver implements Driver, Readable, Writable, Subscribable, Browsable {
  readonly #cfg: ResolvedOpcuaConfig;
  readonly #ctx: DriverContext;
  readonly #logger: Logger;
  readonly #link: OpcuaLink;
  readonly #subscriptions = new Set<TagSubscription>();
  /** Parsed addresses by "address|dataType": tag lists repeat every poll cycle. */
  readonly #addresses = new Map<string, OpcuaAddress | { error: string; message: string }>();

  constructor(config: OpcuaConfig, ctx: DriverContext) {
    this.#cfg = resolveConfig(config);
    this.#ctx = ctx;
    this.#logger = ctx.logger.child({ driver: 'opcua', endpoint: this.#cfg.endpointUrl });
    this.#link = new OpcuaLink(this.#cfg, ctx.clock, this.#logger);
  }

  connect(): Promise<void> {
    return this.#link.start();
  }

  async close(): Promise<void> {
    const subs = [...this.#subscriptions];
    this.#subscriptions.clear();
    await Promise.all(subs.map((s) => s.close()));
    await this.#link.close();
  }

  health(): DriverHealth {
    return this.#link.health();
  }

  /** Resolves once a session is up (or the driver is closed); for tests and start-up. */
  connected(): Promise<void> {
    return this.#link.connected();
  }

  /** The endpoints the server offered at the last connect (GetEndpoints). */
  endpoints(): readonly EndpointSummary[] {
    return this.#link.endpoints();
  }

  read(tags: readonly TagRef[], signal?: AbortSignal): Promise<Sample[]> {
    const cap = this.#cfg.maxNodesPerRead;
    return readTags(
      tags,
      (tag) => this.#resolve(tag),
      (what, fn) => this.#link.call(what, fn),
      (s) => Math.min(cap > 0 ? cap : Infinity, s?.maxNodesPerRead ?? Infinity),
      () => this.#link.session(),
      this.#ctx.clock,
      signal,
    );
  }

  /**
   * Writes the value as the tag's built-in type and checks the node's StatusCode: anything but
   * Good (Part 4 §5.10.4: a Good_ status per node) rejects with WRITE_REJECTED. Never retried.
   */
  async write(tag: TagRef, value: SampleValue, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const a = this.#resolve(tag);
    if ('error' in a) throw OpcuaErrors.ADDRESS.create([tag.address, a.message]);
    const encoded = encodeWrite(value, a.builtInType, tag.address);
    const status = await this.#link.call('Write', (s) => s.write(a.nodeId, a.builtInType, encoded));
    if (qualityOf(status.code) !== 'good')
      throw OpcuaErrors.WRITE_REJECTED.create([a.nodeId, status.name], { statusCode: status.name });
  }

  /**
   * Monitors the tags; samples arrive through `onSample` until the subscription is closed.
   * Resolves once the items exist on the server (or at once while disconnected: they are
   * created when the session comes up). Tags with invalid addresses get one bad sample.
   */
  async subscribe(
    tags: readonly TagRef[],
    onSample: (tag: string, sample: Sample) => void,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    if (this.#link.health().state === 'closed') throw OpcuaErrors.CLOSED.create([this.#cfg.endpointUrl]);
    const monitored: MonitoredTag[] = [];
    for (const tag of tags) {
      const a = this.#resolve(tag);
      if ('error' in a)
        onSample(tag.name, { ts: this.#ctx.clock.now(), value: null, quality: 'bad', reason: a.error });
      else monitored.push({ tag, address: a });
    }
    const params = monitorParams(monitored, options, this.#cfg);
    const sub = new TagSubscription(monitored, params, onSample, this.#link, this.#ctx.clock, this.#logger);
    this.#subscriptions.add(sub);
    try {
      await sub.start();
    } catch (err) {
      this.#subscriptions.delete(sub);
      await sub.close();
      throw err;
    }
    return {
      close: async () => {
        this.#subscriptions.delete(sub);
        await sub.close();
      },
    };
  }

  browse(signal?: AbortSignal): Promise<BrowseNode[]> {
    return browseTree(
      (what, fn) => this.#link.call(what, fn),
      {
        root: this.#cfg.browseRoot,
        maxDepth: this.#cfg.browseMaxDepth,
        maxNodes: this.#cfg.browseMaxNodes,
        skipNamespaceZero: this.#cfg.browseRoot === 'i=85',
      },
      signal,
    );
  }

  #resolve(tag: TagRef): OpcuaAddress | { error: string; message: string } {
    const key = `${tag.address}|${tag.dataType}`;
    let a = this.#addresses.get(key);
    if (a === undefined) {
      const r = parseAddress(tag.address, tag.dataType);
      a = r.ok ? r.address : { error: OpcuaErrors.ADDRESS.code, message: r.message };
      if (!r.ok) this.#logger.warn({ tag: tag.name, address: tag.address }, r.message);
      this.#addresses.set(key, a);
    }
    return a;
  }
}
