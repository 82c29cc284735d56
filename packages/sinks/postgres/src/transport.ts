import type { Logger } from '@watershed/common';
import { SinkPermanentError, type SinkDeps, type SinkRow, type SinkTransport } from '@watershed/sink-core';
import { createPostgresStore, StoreErrors, type PostgresStore, type SampleRow } from '@watershed/store';
import type { PostgresSinkConfig } from './config.js';
import { isRowRejection, PostgresSinkErrors } from './errors.js';
import { TableWriter } from './table-writer.js';

/**
 * Sends one batch to PostgreSQL. Rows shaped as samples (`point`, `ts`, `value`, `quality`) go to
 * the Watershed store's samples through its batched COPY write, which is idempotent on
 * (point, ts) — a retried batch never duplicates and rollups and `latest` stay right. Other rows
 * go to the configured table. A batch holding both is written samples first; if the table part
 * then fails, the retry rewrites the samples harmlessly.
 *
 * Classification: a sample the store calls invalid, a row PostgreSQL refuses (SQLSTATE 22, 23,
 * 42) or a row with nowhere to go fails the batch for good (SinkPermanentError); connection
 * failures and everything else are retried by sink-core.
 */
export class PostgresTransport implements SinkTransport {
  readonly #config: PostgresSinkConfig;
  readonly #deps: SinkDeps;
  readonly #log: Logger;
  readonly #table: TableWriter | undefined;
  #store: PostgresStore | undefined;
  #lastError: string | undefined;

  constructor(config: PostgresSinkConfig & { id?: string }, deps: SinkDeps) {
    this.#config = config;
    this.#deps = deps;
    this.#log = deps.logger.child({ sink: config.id ?? 'postgres' });
    this.#table = config.table
      ? new TableWriter(
          {
            connectionString: config.connectionString,
            application_name: 'watershed-sink',
            connectionTimeoutMillis: 5000,
          },
          config.table,
          this.#log,
        )
      : undefined;
  }

  /** Connects the store (migrating its schema on first use); sink-core retries this until it works. */
  async open(): Promise<void> {
    if (this.#store) return;
    this.#store = await createPostgresStore({
      connectionString: this.#config.connectionString,
      schema: this.#config.schema,
      partition: this.#config.partition,
      logger: this.#log,
      clock: this.#deps.clock,
      // sink-core has batched already: write each batch at once.
      maxBatch: 1,
      pool: { max: 2, connectionTimeoutMillis: 5000 },
    });
  }

  async send(batch: readonly SinkRow[]): Promise<void> {
    const samples: SampleRow[] = [];
    const others: SinkRow[] = [];
    for (const row of batch) {
      if (isSampleShaped(row)) samples.push(row as unknown as SampleRow);
      else others.push(row);
    }
    if (others.length > 0 && !this.#table) {
      throw new SinkPermanentError(PostgresSinkErrors.NO_TABLE.create([this.#id, others.length]).message);
    }
    try {
      if (samples.length > 0) {
        await this.open();
        await (this.#store as PostgresStore).writeSamples(samples);
      }
      if (others.length > 0) await this.#table?.write(others);
      this.#lastError = undefined;
    } catch (err) {
      this.#lastError = err instanceof Error ? err.message : String(err);
      if (StoreErrors.INVALID_SAMPLE.is(err)) throw new SinkPermanentError(err.message, { cause: err });
      if (isRowRejection(err)) {
        throw new SinkPermanentError(
          PostgresSinkErrors.REJECTED.create([this.#id, this.#lastError]).message,
          {
            cause: err,
          },
        );
      }
      throw err;
    }
  }

  health(): { state: 'up' | 'down' | 'degraded'; detail?: string } {
    if (this.#lastError !== undefined) return { state: 'down', detail: this.#lastError };
    return { state: 'up', detail: this.#store?.health().detail ?? 'not connected yet' };
  }

  async close(): Promise<void> {
    const store = this.#store;
    this.#store = undefined;
    await Promise.all([store?.close(), this.#table?.close()]);
  }

  get #id(): string {
    return (this.#config as { id?: string }).id ?? 'postgres';
  }
}

/** A row is a sample when it carries the four fields of one; the store validates their values. */
function isSampleShaped(row: SinkRow): boolean {
  return 'point' in row && 'ts' in row && 'value' in row && 'quality' in row;
}
