import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileLimits } from './proc.js';

/**
 * The brokers a suite can run: ours and the peers. `net-floor` is a reference, not a broker:
 * a bare Node socket server for the memory scenarios (opt-in with --peers).
 */
export type BrokerKind = 'watershed' | 'mosquitto' | 'aedes' | 'net-floor';
export const PEERS: readonly BrokerKind[] = ['mosquitto', 'aedes', 'net-floor'];
export const DEFAULT_PEERS: readonly BrokerKind[] = ['mosquitto', 'aedes'];

const MOSQUITTO = '/usr/sbin/mosquitto';
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');

export interface RunningBroker {
  readonly kind: BrokerKind;
  /** Name and version, e.g. "mosquitto 2.0.11". */
  readonly label: string;
  readonly pid: number;
  readonly port: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process has exited. */
  stop(): Promise<void>;
  /**
   * Node brokers (run with --expose-gc) do a full garbage collection on SIGUSR2, so a memory
   * reading counts live memory rather than garbage not yet collected; Mosquitto frees as it
   * goes and is left alone.
   */
  collectGarbage(): void;
}

export interface LaunchOptions {
  /** CPU the broker is pinned to (taskset -c). */
  cpu: number;
  /** Open files the broker needs; the soft limit is raised with prlimit when it is lower. */
  nofile?: number;
  /** Our broker only: write a V8 CPU profile of its run (after start-up) to this file on stop. */
  cpuProfile?: string;
}

/**
 * Owns every broker process a suite starts. `killAll` is synchronous so it also works from
 * process 'exit' and signal handlers: no broker outlives the benchmark, even on Ctrl-C.
 */
export class BrokerProcesses {
  readonly #children = new Set<ChildProcess>();
  readonly #tmpDirs = new Set<string>();

  async launch(kind: BrokerKind, opts: LaunchOptions): Promise<RunningBroker> {
    const prefix = [...this.#limitPrefix(opts.nofile), 'taskset', '-c', String(opts.cpu)];
    if (kind === 'mosquitto') return this.#launchMosquitto(prefix);
    const script = join(HERE, '..', 'brokers', `${kind}.ts`);
    const nodeArgs = ['--expose-gc', '--import', 'tsx'];
    const env: Record<string, string> = opts.cpuProfile
      ? { WATERSHED_BENCH_CPU_PROFILE: opts.cpuProfile }
      : {};
    const child = this.#spawn([...prefix, process.execPath, ...nodeArgs, script], env);
    const port = await readPort(child);
    return this.#running(kind, nodeBrokerLabel(kind), child, port);
  }

  killAll(): void {
    for (const child of this.#children) child.kill('SIGKILL');
    this.#children.clear();
    for (const dir of this.#tmpDirs) rmSync(dir, { recursive: true, force: true });
    this.#tmpDirs.clear();
  }

  #limitPrefix(nofile: number | undefined): string[] {
    if (nofile === undefined) return [];
    const { soft, hard } = openFileLimits();
    if (nofile <= soft) return [];
    const raised = Math.min(nofile, hard);
    return ['prlimit', `--nofile=${raised}:${Number.isFinite(hard) ? hard : raised}`];
  }

  #spawn(argv: string[], env: Record<string, string> = {}): ChildProcess {
    const [cmd, ...args] = argv;
    const child = spawn(cmd!, args, {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    // Keep the pipes drained so a chatty broker never blocks on a full pipe.
    child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[broker ${child.pid}] ${d.toString()}`));
    return child;
  }

  async #launchMosquitto(prefix: string[]): Promise<RunningBroker> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'ws-bench-mosquitto-'));
    this.#tmpDirs.add(dir);
    const conf = join(dir, 'mosquitto.conf');
    // Defaults otherwise (max_inflight_messages 20, max_queued_messages 1000), as shipped.
    writeFileSync(
      conf,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'max_connections -1',
        'set_tcp_nodelay true',
        'persistence false',
        'sys_interval 0',
        'log_dest none',
        '',
      ].join('\n'),
    );
    const child = this.#spawn([...prefix, MOSQUITTO, '-c', conf]);
    child.stdout?.resume();
    await waitListening(port, child);
    return this.#running('mosquitto', `mosquitto ${mosquittoVersion()}`, child, port, dir);
  }

  #running(kind: BrokerKind, label: string, child: ChildProcess, port: number, dir?: string): RunningBroker {
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${kind} did not start`);
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    return {
      kind,
      label,
      pid,
      port,
      collectGarbage: () => {
        if (kind !== 'mosquitto' && child.exitCode === null) child.kill('SIGUSR2');
      },
      stop: async () => {
        child.kill('SIGTERM');
        // A CPU profile of a busy broker takes a few seconds to write.
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
        if (dir) {
          rmSync(dir, { recursive: true, force: true });
          this.#tmpDirs.delete(dir);
        }
      },
    };
  }
}

/** Waits for the `{"port":N}` line a broker script prints once it listens. */
async function readPort(child: ChildProcess): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error('broker did not report its port within 30 s')), 30_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('exit', (code) => fail(new Error(`broker exited (${code}) before listening`)));
    child.stdout?.on('data', (d: Buffer) => {
      text += d.toString();
      const line = text.split('\n').find((l) => l.startsWith('{"port":'));
      if (!line) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

/** Polls until a TCP connect succeeds, up to 10 s. */
async function waitListening(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`broker exited (${child.exitCode}) before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on port ${port} after 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function mosquittoVersion(): string {
  try {
    const out = execFileSync(MOSQUITTO, ['-h'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /version (\S+)/.exec(out)?.[1] ?? '?';
  } catch (err) {
    // mosquitto -h exits with status 3 after printing its usage.
    const stdout = (err as { stdout?: string | Buffer }).stdout;
    const out = typeof stdout === 'string' ? stdout : (stdout?.toString() ?? '');
    return /version (\S+)/.exec(out)?.[1] ?? '?';
  }
}

function nodeBrokerLabel(kind: BrokerKind): string {
  if (kind === 'watershed') return 'watershed (ours)';
  if (kind === 'aedes') return `aedes ${aedesVersion()}`;
  return `net-floor (node ${process.version})`;
}

function aedesVersion(): string {
  const pkg = JSON.parse(readFileSync(join(REPO, 'node_modules', 'aedes', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
