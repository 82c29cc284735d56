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
import { StoreErrors, type SampleRow, type Store } from '@watershed/store';
import { Compile } from 'typebox/compile';
import { SeqTracker, type SeqStats } from './seq-tracker.js';

/**
 * The slice of the broker the ingest needs: a durable in-process subscription, whose handler's
 * promise the broker waits for before it acknowledges the gateway's QoS 1/2 PUBLISH
 * (`Broker.subscribeDurable`).
 */
export interface MessageSource {
  subscribeDurable(
    filter: string,
    store: (m: { topic: string; payload: Buffer }) => Promise<void>,
  ): () => void;
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
 *
 * Nothing a gateway sent is lost to a failed write (issues 3 and 5): each handler resolves only
 * once the store committed what the message carried, and the broker acknowledges the PUBLISH
 * only then, so the gateway keeps the batch in its outbox until the platform has it. A write
 * that fails (dead database, full disk) rejects: the gateway gets no ack and sends the message
 * again. A message the store can never take (an invalid sample) or that does not decode is
 * acknowledged and dropped, counted: resending it would only fail again.
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
    const { source } = opts;
    this.#unsubscribe.push(source.subscribeDurable(ALL_DATA_FILTER, (m) => this.#onData(m.topic, m.payload)));
    this.#unsubscribe.push(source.subscribeDurable(STATUS_FILTER, (m) => this.#onStatus(m.topic, m.payload)));
    // A large gateway (30,000 tags is over 1 MiB) sends its catalog as numbered parts instead
    // of inside its status; the points are registered once every part has come.
    this.#unsubscribe.push(
      source.subscribeDurable(catalogFilter(), (m) => this.#onCatalogPart(m.topic, m.payload)),
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

  #onData(topic: string, payload: Buffer): Promise<void> {
    const t = parseTopic(topic);
    if (t?.kind !== 'data') return DONE;
    const decoded = decodeUplink(payload);
    if (!decoded.ok) {
      this.#invalid++;
      this.#logger.warn({ topic, errors: decoded.errors }, 'invalid uplink message dropped');
      return DONE;
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
    // A replayed duplicate is written again on purpose: the store is idempotent on (point, ts);
    // so is a message resent because its first write failed.
    const written = this.#track(this.#store.writeSamples(rows), 'samples');
    this.#emit(rows);
    return written;
  }

  #onStatus(topic: string, payload: Buffer): Promise<void> {
    const t = parseTopic(topic);
    if (t?.kind !== 'mgmt' || payload.length === 0) return DONE;
    let status: unknown;
    try {
      status = JSON.parse(payload.toString('utf8'));
    } catch {
      status = undefined;
    }
    if (!statusValidator.Check(status)) {
      this.#invalid++;
      this.#logger.warn({ topic }, 'invalid gateway status dropped');
      return DONE;
    }
    this.#logger.info({ site: t.site, node: t.node, online: status.online }, 'gateway status');
    return status.groups ? this.#register(t.site, t.node, status.groups) : DONE;
  }

  #onCatalogPart(topic: string, payload: Buffer): Promise<void> {
    // ws/v1/{site}/{node}/mgmt/catalog/{part}; an empty retained payload clears a stale part.
    const [, , site, node] = topic.split('/');
    if (payload.length === 0 || !site || !node) return DONE;
    const part = decodeCatalogPart(payload);
    if (!part) {
      this.#invalid++;
      this.#logger.warn({ topic }, 'invalid catalog part dropped');
      return DONE;
    }
    const outcome = this.#catalogs.add(part);
    if (outcome.kind === 'corrupt') {
      this.#invalid++;
      this.#logger.warn({ topic, err: outcome.error.message }, 'gateway catalog dropped');
    } else if (outcome.kind === 'complete') {
      const { groups, configVersion } = outcome.catalog;
      this.#logger.info({ site, node, configVersion, parts: part.parts, tags: part.tags }, 'gateway catalog');
      // Only the last part waits for the points' write; a resend of it after a failure finds
      // the earlier parts gone and is dropped as incomplete, which the gateway's next birth
      // (every reconnect sends its status and catalog again) repairs.
      return this.#register(site, node, groups);
    }
    return DONE;
  }

  #register(site: string, node: string, groups: readonly GroupInfo[]): Promise<void> {
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
    return this.#track(this.#store.upsertPoints(points), 'points');
  }

  /**
   * Counts a write in flight (for `close`) and returns what the broker waits for: resolved once
   * committed or refused for good, rejected when the write failed and the message must come again.
   */
  #track(p: Promise<void>, what: string): Promise<void> {
    const outcome = p.catch((err: unknown) => {
      this.#writeErrors++;
      if (StoreErrors.INVALID_SAMPLE.is(err)) {
        this.#invalid++;
        this.#logger.warn({ err: (err as Error).message, what }, 'store refused the message; dropped');
        return;
      }
      this.#logger.error(
        { err: (err as Error).message, what },
        'store write failed; the gateway will resend',
      );
      throw err;
    });
    const tracked = outcome.then(ignore, ignore).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
    return outcome;
  }
}

const DONE = Promise.resolve();

function ignore(): void {}
