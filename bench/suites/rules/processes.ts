/**
 * The child processes of the rules benchmark, each owned here so none outlives the run:
 * forked TypeScript scripts (with an IPC channel) and plain ones read line by line, every one
 * pinned to a core with taskset.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export interface Child {
  readonly proc: ChildProcess;
  /** Next stdout line (JSON) or IPC message matching `accept`; rejects on exit or timeout. */
  next<T>(accept: (m: Record<string, unknown>) => boolean, timeoutMs: number): Promise<T>;
  /** Every stdout JSON line and IPC message from now on. */
  onMessage(fn: (m: Record<string, unknown>) => void): void;
  stop(graceMs?: number): Promise<void>;
}

export class RulesProcesses {
  readonly #children = new Set<ChildProcess>();

  /** Forks `script` (in this folder) with IPC, then pins it and its threads to `cpu`. */
  fork(script: string, args: readonly string[], cpu: number, env: NodeJS.ProcessEnv = {}): Child {
    const proc = fork(join(HERE, script), [...args], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...env },
    });
    if (proc.pid !== undefined) {
      spawn('taskset', ['-a', '-p', '-c', String(cpu), String(proc.pid)], { stdio: 'ignore' });
    }
    return this.#own(script, proc);
  }

  /** Starts `node --import tsx <script>` pinned to `cpu` from the start. */
  spawn(script: string, args: readonly string[], cpu: number): Child {
    const proc = spawn(
      'taskset',
      ['-c', String(cpu), process.execPath, '--expose-gc', '--import', 'tsx', join(HERE, script), ...args],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return this.#own(script, proc);
  }

  killAll(): void {
    for (const c of this.#children) c.kill('SIGKILL');
    this.#children.clear();
  }

  #own(label: string, proc: ChildProcess): Child {
    if (proc.pid === undefined) throw new Error(`${label} did not start`);
    this.#children.add(proc);
    const exited = new Promise<void>((resolve) =>
      proc.once('exit', () => {
        this.#children.delete(proc);
        resolve();
      }),
    );
    proc.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${label} ${proc.pid}] ${d.toString()}`));
    const listeners = new Set<(m: Record<string, unknown>) => void>();
    const deliver = (m: Record<string, unknown>): void => {
      for (const l of [...listeners]) l(m);
    };
    if (proc.stdout) {
      createInterface({ input: proc.stdout }).on('line', (line) => {
        try {
          deliver(JSON.parse(line) as Record<string, unknown>);
        } catch {
          process.stderr.write(`[${label}] ${line}\n`);
        }
      });
    }
    proc.on('message', (m) => deliver(m as Record<string, unknown>));
    return {
      proc,
      onMessage: (fn) => listeners.add(fn),
      next: <T>(accept: (m: Record<string, unknown>) => boolean, timeoutMs: number) =>
        new Promise<T>((resolve, reject) => {
          const done = (): void => {
            clearTimeout(timer);
            listeners.delete(listener);
            proc.off('exit', onExit);
          };
          const listener = (m: Record<string, unknown>): void => {
            if (!accept(m)) return;
            done();
            resolve(m as T);
          };
          const onExit = (code: number | null): void => {
            done();
            reject(new Error(`${label} exited (${code}) before answering`));
          };
          const timer = setTimeout(() => {
            done();
            reject(new Error(`${label}: no answer within ${timeoutMs} ms`));
          }, timeoutMs);
          listeners.add(listener);
          proc.once('exit', onExit);
        }),
      stop: async (graceMs = 15_000) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      },
    };
  }
}
