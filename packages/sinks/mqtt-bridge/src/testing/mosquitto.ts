/**
 * Test support: Debian's Mosquitto as the remote broker, started on a loopback port in a temp
 * directory, killable and restartable on the same port. A missing binary fails the test naming
 * the Debian package (CI installs it).
 */
import { freePort, waitFor } from '@watershed/common/testing';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export interface MosquittoOptions {
  /** Extra mosquitto.conf lines (a TLS listener, persistence …). */
  readonly extraConf?: readonly string[];
  /** Users allowed in (username → password); when given, anonymous clients are refused. */
  readonly users?: Readonly<Record<string, string>>;
  /** Per-listener lines appended after the plain listener. */
  readonly listenerConf?: readonly string[];
}

export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** SIGKILL: no goodbye, no persistence flush; resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown (Mosquitto writes its persistence file); resolves when gone. */
  terminate(): Promise<void>;
  /** Starts again on the same port with the same config and directory. */
  restart(): Promise<void>;
  /** Stops and removes the directory. */
  close(): Promise<void>;
  readonly log: () => string;
}

export const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

async function writePasswords(file: string, users: Readonly<Record<string, string>>): Promise<void> {
  if (!existsSync(MOSQUITTO_PASSWD))
    throw new Error(
      `${MOSQUITTO_PASSWD} is missing: install the Debian package mosquitto (apt-get install mosquitto)`,
    );
  writeFileSync(file, '');
  for (const [user, password] of Object.entries(users)) {
    await new Promise<void>((resolve, reject) => {
      execFile(MOSQUITTO_PASSWD, ['-b', file, user, password], { timeout: 10_000 }, (err, _o, stderr) =>
        err ? reject(new Error(`mosquitto_passwd failed: ${stderr}`)) : resolve(),
      );
    });
  }
}

export function requireMosquitto(): void {
  if (!existsSync(MOSQUITTO))
    throw new Error(
      `${MOSQUITTO} is missing: install the Debian package mosquitto (apt-get install mosquitto)`,
    );
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  requireMosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  if (opts.users) await writePasswords(join(dir, 'passwd'), opts.users);
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      ...(opts.listenerConf ?? []),
      ...(opts.users
        ? ['allow_anonymous false', `password_file ${join(dir, 'passwd')}`]
        : ['allow_anonymous true']),
      // Started as root (CI), Mosquitto would switch to user "mosquitto", who cannot write here.
      `user ${userInfo().username}`,
      // Let the broker write a subscriber's QoS 1 messages straight to its socket instead of
      // holding them in its own (volatile) queue once 20 are unacknowledged.
      'max_inflight_messages 0',
      'max_queued_messages 100000',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      ...(opts.extraConf ?? []),
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let log = '';
  const launch = async (): Promise<void> => {
    const c = spawn(MOSQUITTO, ['-c', conf], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    c.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d));
    child = c;
    let exited = false;
    c.once('exit', () => (exited = true));
    await waitFor(
      async () => {
        if (exited) throw new Error(`mosquitto exited: ${log}`);
        return canConnect(port);
      },
      { timeoutMs: 10_000, intervalMs: 20, message: `mosquitto listening on ${port}` },
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
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    kill: () => stop('SIGKILL'),
    terminate: () => stop('SIGTERM'),
    restart: launch,
    async close() {
      await stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
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
