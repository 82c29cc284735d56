import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Logger } from '@watershed/common';
import type { SinkRow } from '@watershed/sink-core';
import type { PostgresSinkConfig } from './config.js';

type TableConfig = NonNullable<PostgresSinkConfig['table']>;

/**
 * Writes rows of any shape into one configured table: each batch is one transaction that COPYs
 * the mapped fields (PostgreSQL docs, COPY, text format). With a `key`, rows go through a
 * temporary copy of the mapped columns and `INSERT … ON CONFLICT (key) DO NOTHING`, so a batch
 * sent again after a lost acknowledgement adds nothing; without one they are COPYed straight in.
 * Owns one connection, opened on demand and dropped after any failure.
 */
export class TableWriter {
  readonly #config: pg.ClientConfig;
  readonly #table: string;
  readonly #columns: readonly string[];
  readonly #fields: readonly string[];
  readonly #key: readonly string[] | undefined;
  readonly #log: Logger;
  #client: pg.Client | undefined;

  constructor(config: pg.ClientConfig, table: TableConfig, log: Logger) {
    this.#config = config;
    this.#table = table.name;
    this.#columns = Object.keys(table.columns);
    this.#fields = Object.values(table.columns);
    this.#key = table.key;
    this.#log = log;
  }

  async write(rows: readonly SinkRow[]): Promise<void> {
    const db = await this.#connect();
    try {
      const cols = this.#columns.join(', ');
      await db.query('BEGIN');
      if (this.#key) {
        await db.query(
          `CREATE TEMP TABLE ws_sink_stage ON COMMIT DROP AS SELECT ${cols} FROM ${this.#table} WITH NO DATA`,
        );
        await this.#copy(db, `COPY ws_sink_stage (${cols}) FROM STDIN`, rows);
        await db.query(
          `INSERT INTO ${this.#table} (${cols}) SELECT ${cols} FROM ws_sink_stage
           ON CONFLICT (${this.#key.join(', ')}) DO NOTHING`,
        );
      } else {
        await this.#copy(db, `COPY ${this.#table} (${cols}) FROM STDIN`, rows);
      }
      await db.query('COMMIT');
    } catch (err) {
      this.#drop(db);
      throw err;
    }
  }

  async close(): Promise<void> {
    const db = this.#client;
    this.#client = undefined;
    await db?.end().catch(() => undefined);
  }

  async #copy(db: pg.Client, sql: string, rows: readonly SinkRow[]): Promise<void> {
    const fields = this.#fields;
    function* lines(): Generator<string> {
      let buf = '';
      for (const row of rows) {
        for (let i = 0; i < fields.length; i++) {
          if (i > 0) buf += '\t';
          buf += copyField(row[fields[i] as string]);
        }
        buf += '\n';
        if (buf.length >= 256 * 1024) {
          yield buf;
          buf = '';
        }
      }
      if (buf.length > 0) yield buf;
    }
    await pipeline(Readable.from(lines()), db.query(copyFrom(sql)));
  }

  async #connect(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const db = new pg.Client(this.#config);
    db.on('error', (err) => {
      this.#log.warn({ err }, 'sink table connection failed');
      this.#drop(db);
    });
    try {
      await db.connect();
    } catch (err) {
      this.#drop(db);
      throw err;
    }
    this.#client = db;
    return db;
  }

  #drop(db: pg.Client): void {
    if (this.#client === db) this.#client = undefined;
    db.end().catch(() => undefined);
  }
}

/** One row field as a COPY text field: NULL as \N, objects as JSON, specials escaped. */
export function copyField(v: unknown): string {
  switch (typeof v) {
    case 'undefined':
      return '\\N';
    case 'number':
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 't' : 'f';
    case 'string':
      return escape(v);
    default:
      if (v === null) return '\\N';
      return escape(v instanceof Date ? v.toISOString() : JSON.stringify(v));
  }
}

function escape(s: string): string {
  return /[\\\n\r\t]/.test(s)
    ? s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'))
    : s;
}
