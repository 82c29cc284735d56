/**
 * Test support: Debian's nats-server with JetStream, on a loopback port in a temp store
 * directory, killable and restartable on the same port with the same store. A missing binary
 * fails the test naming the Debian package (CI installs it).
 */
import { freePort, waitFor } from '@watershed/common/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NATS_SERVER = '/usr/sbin/nats-server';

export interface NatsServer {
  readonly port: number;
  readonly url: string;
  readonly storeDir: string;
  /** SIGKILL: a crash; resolves when the process is gone. */
  kill(): Promise<void>;
  /** Starts again on the same port with the same store directory. */
  restart(): Promise<void>;
  /** Stops and removes the store directory. */
  close(): Promise<void>;
  readonly log: () => string;
}

export function requireNatsServer(): void {
  if (!existsSync(NATS_SERVER))
    throw new Error(
      `${NATS_SERVER} is missing: install the Debian package nats-server (apt-get install nats-server)`,
    );
}

export async function startNatsServer(): Promise<NatsServer> {
  requireNatsServer();
  const storeDir = mkdtempSync(join(tmpdir(), 'nats-js-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';
  const launch = async (): Promise<void> => {
    const c = spawn(NATS_SERVER, ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.stdout?.setEncoding('utf8').on('data', (d: string) => (log += d));
    c.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d));
    child = c;
    let exited = false;
    c.once('exit', () => (exited = true));
    const before = log.length;
    // "Server is ready" comes after JetStream has recovered its streams from the store.
    await waitFor(
      () => {
        if (exited) throw new Error(`nats-server exited: ${log}`);
        return log.indexOf('Server is ready', before) >= 0 && canConnect(port);
      },
      { timeoutMs: 15_000, intervalMs: 20, message: `nats-server ready on ${port}` },
    );
  };
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill(signal);
    await gone;
  };
  await launch();
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    storeDir,
    kill: () => stop('SIGKILL'),
    restart: launch,
    async close() {
      await stop('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
    log: () => log,
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
