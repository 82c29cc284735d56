import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@watershed/common/testing';

const BINARY = '/usr/bin/victoria-metrics';

/** One exported series: its labels and its samples in time order. */
export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly values: readonly number[];
  readonly timestamps: readonly number[];
}

/**
 * A real VictoriaMetrics single-node server for tests (Debian package `victoria-metrics`),
 * on 127.0.0.1 in a temp directory. It takes Influx line protocol on `/write` and
 * `/api/v2/write`; `series()` reads back through `/api/v1/export` after a forced flush.
 * `stop()`/`start()` restart it on the same port and data, as the fault tests need.
 */
export class TestVictoria {
  #dir = '';
  #port = 0;
  #proc: ChildProcess | undefined;

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<void> {
    if (!this.#dir) {
      await access(BINARY).catch(() => {
        throw new Error(`${BINARY} not found: install the Debian package victoria-metrics (CI does)`);
      });
      this.#dir = await mkdtemp(join(tmpdir(), 'ws-victoria-'));
      this.#port = await freePort();
    }
    const proc = spawn(
      BINARY,
      [
        `-storageDataPath=${join(this.#dir, 'data')}`,
        `-httpListenAddr=127.0.0.1:${this.#port}`,
        '-loggerLevel=ERROR',
        '-retentionPeriod=100y',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.#proc = proc;
    let stderr = '';
    proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`victoria-metrics exited ${proc.exitCode}: ${stderr}`);
        const res = await fetch(`${this.url}/health`);
        return res.ok;
      },
      { timeoutMs: 15_000, intervalMs: 50, message: 'victoria-metrics answering /health' },
    );
  }

  async stop(): Promise<void> {
    const proc = this.#proc;
    this.#proc = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Every series whose metric name matches `nameRegex`, samples in time order. */
  async series(nameRegex: string): Promise<Series[]> {
    // Recently written rows sit in memory buffers until flushed; make them visible now.
    await fetch(`${this.url}/internal/force_flush`);
    const body = new URLSearchParams({ 'match[]': `{__name__=~"${nameRegex}"}` });
    const res = await fetch(`${this.url}/api/v1/export`, { method: 'POST', body });
    if (!res.ok) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    const text = await res.text();
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const s = JSON.parse(l) as { metric: Record<string, string>; values: number[]; timestamps: number[] };
        // Export gives samples in time order per block; sort to be sure across blocks.
        const order = s.timestamps.map((t, i) => [t, s.values[i]!] as const).sort((a, b) => a[0] - b[0]);
        return { labels: s.metric, timestamps: order.map((o) => o[0]), values: order.map((o) => o[1]) };
      });
  }

  async cleanup(): Promise<void> {
    await this.stop();
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
  }
}
