import { createHash } from 'node:crypto';
import { canonicalJson, type LogTail, type SampleValue, type WriteResult } from '@watershed/model';
import type { Gateway, Json, Store } from '@watershed/store';
import type { FleetControl, GatewayLiveStatus, PushResult } from './service.js';

/**
 * A FleetControl for the routes' tests and the web client's: it stores pushed versions in the
 * real store as the server's FleetService does, and acks them itself as `applied`, or as
 * `nextOutcome` says. Writes answer ok with the value read back unless `writeResult` is set.
 * The real service, against a real edge gateway, is tested in `apps/server/src/fleet/`.
 */
export class FakeFleet implements FleetControl {
  readonly #store: Store;
  readonly online = new Set<string>();
  readonly logTails = new Map<string, LogTail>();
  readonly writes: { node: string; tag: string; value: SampleValue }[] = [];
  readonly forgotten: string[] = [];
  nextOutcome: PushResult['outcome'] = 'applied';
  writeResult: Partial<WriteResult> | undefined;
  readonly #running = new Map<string, number>();

  constructor(store: Store) {
    this.#store = store;
  }

  status(gateway: Gateway): GatewayLiveStatus {
    const running = this.#running.get(gateway.node);
    return {
      online: this.online.has(gateway.node),
      stale: false,
      ...(running !== undefined && { configVersion: running }),
    };
  }

  logs(gateway: Gateway): LogTail | undefined {
    return this.logTails.get(gateway.node);
  }

  async push(gateways: readonly Gateway[], config: Json, author: string): Promise<PushResult[]> {
    const results: PushResult[] = [];
    for (const g of gateways) {
      const latest = await this.#store.metadata.edgeConfigs.latest(g.node);
      const version = (latest?.version ?? 0) + 1;
      const checksum = createHash('sha256').update(canonicalJson(config)).digest('hex');
      await this.#store.metadata.edgeConfigs.append({
        node: g.node,
        project: g.project,
        version,
        config,
        checksum,
        author,
      });
      const outcome = this.nextOutcome;
      const base = { gatewayId: g.id, node: g.node, version, checksum, outcome };
      if (outcome === 'timeout' || outcome === 'queued') {
        results.push(base);
        continue;
      }
      const applied = outcome === 'applied';
      if (applied) this.#running.set(g.node, version);
      const running = this.#running.get(g.node) ?? 0;
      await this.#store.metadata.edgeConfigs.setAck(g.node, version, { ok: applied, detail: outcome });
      results.push({
        ...base,
        ack: { v: 1, node: g.node, ts: Date.now(), version, result: outcome, running },
      });
    }
    return results;
  }

  async rollback(gateway: Gateway, version: number, author: string): Promise<PushResult> {
    const earlier = await this.#store.metadata.edgeConfigs.get(gateway.node, version);
    if (!earlier) throw new Error(`no version ${version}`);
    const [r] = await this.push([gateway], earlier.config, author);
    return r!;
  }

  write(gateway: Gateway, tag: string, value: SampleValue): Promise<WriteResult> {
    this.writes.push({ node: gateway.node, tag, value });
    return Promise.resolve({
      v: 1,
      id: `w${this.writes.length}`,
      point: `${gateway.site}.${gateway.node}.${tag}`,
      ok: true,
      ts: Date.now(),
      readBack: value,
      ...this.writeResult,
    });
  }

  forget(gateway: Gateway): void {
    this.forgotten.push(gateway.node);
  }
}
