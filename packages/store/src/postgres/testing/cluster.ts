import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, waitFor } from '@watershed/common/testing';

/** Where Debian's `postgresql-15` package puts the server binaries. */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

export interface ClusterOptions {
  /** Directory holding initdb, postgres and psql; default POSTGRES_BIN. */
  binDir?: string;
  /** Extra `-c name=value` server settings, e.g. `{ max_connections: '50' }`. */
  settings?: Readonly<Record<string, string>>;
  /** How long start-up may take before it fails, default 30 s. */
  startTimeoutMs?: number;
}

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a temporary directory,
 * a `postgres` on 127.0.0.1 and a free port with fsync off, one database `watershed`, trust
 * authentication for `postgres`. `stop()` and `start()` take the server down and up again on
 * the same port and data (fault tests); `destroy()` stops it for good and removes the directory.
 *
 * initdb refuses to run as root, so under root (CI) the directory is handed to the `postgres`
 * system user and both binaries run through `runuser -u postgres --`.
 */
export class PostgresCluster {
  readonly port: number;
  readonly dir: string;
  readonly #bin: string;
  readonly #settings: Readonly<Record<string, string>>;
  readonly #startTimeoutMs: number;
  #server: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #log = '';

  private constructor(dir: string, port: number, opts: ClusterOptions) {
    this.dir = dir;
    this.port = port;
    this.#bin = opts.binDir ?? POSTGRES_BIN;
    this.#settings = opts.settings ?? {};
    this.#startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  }

  /** Creates, starts and waits for a cluster with an empty database `watershed`. */
  static async create(opts: ClusterOptions = {}): Promise<PostgresCluster> {
    const bin = opts.binDir ?? POSTGRES_BIN;
    if (!existsSync(join(bin, 'initdb')) || !existsSync(join(bin, 'postgres'))) {
      throw new Error(
        `PostgreSQL server binaries not found in ${bin}: install the Debian package postgresql (postgresql-15)`,
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'ws-pg-'));
    const cluster = new PostgresCluster(dir, await freePort(), opts);
    try {
      cluster.#initdb();
      await cluster.start();
      const admin = new pg.Client({ ...cluster.#target(), database: 'postgres' });
      await admin.connect();
      try {
        await admin.query('CREATE DATABASE watershed');
      } finally {
        await admin.end();
      }
      return cluster;
    } catch (err) {
      await cluster.destroy();
      throw err;
    }
  }

  /** libpq connection string of the `watershed` database. */
  get connectionString(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/watershed`;
  }

  get running(): boolean {
    return this.#server !== undefined;
  }

  /** Starts the server on the cluster's port and resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.#server) return;
    const settings = {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_wal_size: '1GB',
      ...this.#settings,
    };
    const args = [
      '-D',
      this.dir,
      '-k',
      this.dir,
      '-h',
      '127.0.0.1',
      '-p',
      String(this.port),
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ];
    const child = this.#spawn(join(this.#bin, 'postgres'), args);
    this.#server = child;
    this.#log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#log = (this.#log + chunk.toString()).slice(-4000);
    });
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      if (this.#server === child) this.#server = undefined;
    });
    try {
      await waitFor(
        async () => {
          if (!this.#server) throw new Error(`postgres exited during start-up:\n${this.#log}`);
          const c = new pg.Client({ ...this.#target(), database: 'postgres' });
          c.on('error', () => undefined);
          try {
            await c.connect();
            await c.query('SELECT 1');
            return true;
          } finally {
            await c.end().catch(() => undefined);
          }
        },
        {
          timeoutMs: this.#startTimeoutMs,
          intervalMs: 50,
          message: `postgres on port ${this.port} accepting connections`,
        },
      );
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /**
   * Fast shutdown (SIGINT): open sessions are cut, their transactions roll back, and the data
   * already committed stays. Resolves once the server process has exited.
   */
  async stop(): Promise<void> {
    const child = this.#server;
    if (!child) return;
    // Signal the postmaster itself: runuser, its parent under root, does not pass SIGINT on.
    const pid = postmasterPid(this.dir) ?? child.pid;
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
    await this.#exited;
    this.#server = undefined;
  }

  /** Stops the server and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The last lines the server wrote to stderr, for failure messages. */
  get log(): string {
    return this.#log;
  }

  #target(): pg.ClientConfig {
    return { host: '127.0.0.1', port: this.port, user: 'postgres', connectionTimeoutMillis: 2000 };
  }

  #initdb(): void {
    if (asRoot()) chownSync(this.dir, postgresUid(), postgresGid());
    const r = spawnSync(
      ...this.#command(join(this.#bin, 'initdb'), [
        '-D',
        this.dir,
        '-A',
        'trust',
        '-U',
        'postgres',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ]),
      { encoding: 'utf8' },
    );
    if (r.status !== 0)
      throw new Error(`initdb failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
  }

  #spawn(file: string, args: string[]): ChildProcess {
    const [cmd, argv] = this.#command(file, args);
    return spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  }

  #command(file: string, args: string[]): [string, string[]] {
    return asRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  }
}

/** The postmaster's pid, the first line of `postmaster.pid` in the data directory. */
function postmasterPid(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function asRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresUid(): number {
  return idOf('-u');
}

function postgresGid(): number {
  return idOf('-g');
}

function idOf(flag: '-u' | '-g'): number {
  const r = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  if (r.status !== 0 || !Number.isInteger(n)) {
    throw new Error('running as root but there is no postgres user: install the Debian package postgresql');
  }
  return n;
}
