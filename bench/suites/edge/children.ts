import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A Node script of this suite running in its own process, with its stdout read line by line. */
export interface ScriptProcess {
  readonly pid: number;
  /** Resolves with the first stdout line `accept` parses to something, or rejects on exit/timeout. */
  firstLine<T>(accept: (line: string) => T | undefined, timeoutMs: number): Promise<T>;
  /** Called with every stdout line from now on. */
  onLine(listener: (line: string) => void): void;
  /** SIGTERM, SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Owns every process the edge suite starts. `killAll` is synchronous, for process 'exit' and
 * signal handlers: no device server or gateway outlives the run, whatever ends it.
 */
export class ScriptProcesses {
  readonly #children = new Set<ChildProcess>();

  /** Starts `node --import tsx <script> ...args` pinned to `cpu` (taskset -c). */
  start(label: string, script: string, args: readonly string[], cpu: number): ScriptProcess {
    const child = spawn(
      'taskset',
      ['-c', String(cpu), process.execPath, '--import', 'tsx', join(REPO, script), ...args],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${label} did not start`);
    this.#children.add(child);
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        this.#children.delete(child);
        resolve();
      });
    });
    child.stderr.on('data', (d: Buffer) => process.stderr.write(`[${label} ${pid}] ${d.toString()}`));
    const listeners = new Set<(line: string) => void>();
    createInterface({ input: child.stdout }).on('line', (line) => {
      for (const l of listeners) l(line);
    });
    return {
      pid,
      onLine: (listener) => listeners.add(listener),
      firstLine: <T>(accept: (line: string) => T | undefined, timeoutMs: number): Promise<T> =>
        new Promise<T>((resolve, reject) => {
          const done = (): void => {
            clearTimeout(timer);
            listeners.delete(listener);
            child.off('exit', onExit);
          };
          const listener = (line: string): void => {
            const v = accept(line);
            if (v === undefined) return;
            done();
            resolve(v);
          };
          const onExit = (code: number | null): void => {
            done();
            reject(new Error(`${label} exited (${code}) before it was ready`));
          };
          const timer = setTimeout(() => {
            done();
            reject(new Error(`${label} not ready within ${timeoutMs} ms`));
          }, timeoutMs);
          listeners.add(listener);
          child.once('exit', onExit);
        }),
      stop: async (graceMs = 15_000) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      },
    };
  }

  killAll(): void {
    for (const child of this.#children) child.kill('SIGKILL');
    this.#children.clear();
  }
}

/** Parses a JSON line, or undefined for anything else a script may print. */
export function jsonOf<T>(line: string): T | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
}
