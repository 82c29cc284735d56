import type { Logger } from '@watershed/common';
import {
  ALL_DATA_FILTER,
  EdgeStatus,
  TOPIC_ROOT,
  decodeUplink,
  parseTopic,
  pointId,
  type GroupInfo,
  type Point,
} from '@watershed/model';
import { CatalogAssembler, catalogFilter, decodeCatalogPart } from '@watershed/edge-runtime';
import type { SampleRow, Store } from '@watershed/store';
import { Compile } from 'typebox/compile';
import { SeqTracker, type SeqStats } from './seq-tracker.js';

/** The slice of the broker the ingest needs: in-process subscription. */
export interface MessageSource {
  subscribe(filter: string, onMessage: (m: { topic: string; payload: Buffer }) => void): () => void;
}

export interface IngestStats {
  messages: number;
  samples: number;
  invalid: number;
  writeErrors: number;
  groups: Record<string, SeqStats>;
}

const statusValidator = Compile(EdgeStatus);
const STATUS_FILTER = `${TOPIC_ROOT}/+/+/mgmt/status`;

/**
 * Server side of the uplink: turns every gateway message into stored samples and live rows,
 * and every gateway birth status into registered points. A malformed message is counted and
 * logged with what was wrong; it never stops the others.
 */
export class Ingest {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #emit: (rows: readonly SampleRow[]) => void;
  readonly #seq = new SeqTracker();
  readonly #unsubscribe: (() => void)[] = [];
  readonly #pending = new Set<Promise<void>>();
  readonly #catalogs = new CatalogAssembler();
  #messages = 0;
  #samples = 0;
  #invalid = 0;
  #writeErrors = 0;

  constructor(opts: {
    source: MessageSource;
    store: Store;
    logger: Logger;
    emit: (rows: readonly SampleRow[]) => void;
  }) {
    this.#store = opts.store;
    this.#logger = opts.logger;
    this.#emit = opts.emit;
    this.#unsubscribe.push(opts.source.subscribe(ALL_DATA_FILTER, (m) => this.#onData(m.topic, m.payload)));
    this.#unsubscribe.push(opts.source.subscribe(STATUS_FILTER, (m) => this.#onStatus(m.topic, m.payload)));
    // A large gateway (30,000 tags is over 1 MiB) sends its catalog as numbered parts instead
    // of inside its status; the points are registered once every part has come.
    this.#unsubscribe.push(
      opts.source.subscribe(catalogFilter(), (m) => this.#onCatalogPart(m.topic, m.payload)),
    );
  }

  stats(): IngestStats {
    return {
      messages: this.#messages,
      samples: this.#samples,
      invalid: this.#invalid,
      writeErrors: this.#writeErrors,
      groups: this.#seq.stats(),
    };
  }

  /** Stops taking messages and waits for writes in flight. */
  async close(): Promise<void> {
    for (const u of this.#unsubscribe.splice(0)) u();
    await Promise.all(this.#pending);
  }

  #onData(topic: string, payload: Buffer): void {
    const t = parseTopic(topic);
    if (t?.kind !== 'data') return;
    const decoded = decodeUplink(payload);
    if (!decoded.ok) {
      this.#invalid++;
      this.#logger.warn({ topic, errors: decoded.errors }, 'invalid uplink message dropped');
      return;
    }
    const m = decoded.message;
    this.#messages++;
    this.#seq.observe(`${t.site}/${t.node}/${t.group}`, m.seq);
    const rows: SampleRow[] = [];
    for (const [tag, value] of Object.entries(m.values)) {
      const row: SampleRow = {
        point: pointId({ site: t.site, node: t.node, group: t.group, tag }),
        ts: m.ts,
        value,
        quality: m.quality?.[tag] ?? 'good',
      };
      const reason = m.errors?.[tag];
      if (reason !== undefined) row.reason = reason;
      rows.push(row);
    }
    this.#samples += rows.length;
    // A replayed duplicate is written again on purpose: the store is idempotent on (point, ts).
    this.#track(this.#store.writeSamples(rows), 'samples');
    this.#emit(rows);
  }

  #onStatus(topic: string, payload: Buffer): void {
    const t = parseTopic(topic);
    if (t?.kind !== 'mgmt' || payload.length === 0) return;
    let status: unknown;
    try {
      status = JSON.parse(payload.toString('utf8'));
    } catch {
      status = undefined;
    }
    if (!statusValidator.Check(status)) {
      this.#invalid++;
      this.#logger.warn({ topic }, 'invalid gateway status dropped');
      return;
    }
    this.#logger.info({ site: t.site, node: t.node, online: status.online }, 'gateway status');
    if (status.groups) this.#register(t.site, t.node, status.groups);
  }

  #onCatalogPart(topic: string, payload: Buffer): void {
    // ws/v1/{site}/{node}/mgmt/catalog/{part}; an empty retained payload clears a stale part.
    const [, , site, node] = topic.split('/');
    if (payload.length === 0 || !site || !node) return;
    const part = decodeCatalogPart(payload);
    if (!part) {
      this.#invalid++;
      this.#logger.warn({ topic }, 'invalid catalog part dropped');
      return;
    }
    const outcome = this.#catalogs.add(part);
    if (outcome.kind === 'corrupt') {
      this.#invalid++;
      this.#logger.warn({ topic, err: outcome.error.message }, 'gateway catalog dropped');
    } else if (outcome.kind === 'complete') {
      const { groups, configVersion } = outcome.catalog;
      this.#logger.info({ site, node, configVersion, parts: part.parts, tags: part.tags }, 'gateway catalog');
      this.#register(site, node, groups);
    }
  }

  #register(site: string, node: string, groups: readonly GroupInfo[]): void {
    const points: Point[] = groups.flatMap((g) =>
      g.tags.map((tag) => ({
        id: pointId({ site, node, group: g.name, tag: tag.name }),
        site,
        node,
        group: g.name,
        tag: tag.name,
        dataType: tag.dataType,
        ...(tag.unit !== undefined ? { unit: tag.unit } : {}),
        ...(tag.quantity !== undefined ? { quantity: tag.quantity } : {}),
        ...(tag.description !== undefined ? { name: tag.description, description: tag.description } : {}),
        ...(tag.asset !== undefined ? { asset: tag.asset } : {}),
        ...(tag.writable !== undefined ? { writable: tag.writable } : {}),
      })),
    );
    this.#track(this.#store.upsertPoints(points), 'points');
  }

  #track(p: Promise<void>, what: string): void {
    const tracked = p
      .catch((err: Error) => {
        this.#writeErrors++;
        this.#logger.error({ err: err.message, what }, 'store write failed');
      })
      .finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }
}
