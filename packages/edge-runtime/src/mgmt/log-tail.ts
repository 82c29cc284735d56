import type { LogLine } from '@watershed/model';

const LEVELS: Record<number, LogLine['level']> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const LEVEL_VALUE: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v']);
const MAX_CONTEXT_KEYS = 8;
const MAX_TEXT = 300;

export interface LogTailOptions {
  /** Lines kept; older ones fall out and are counted. */
  size: number;
  /** Lowest level kept, default 'warn'. */
  level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
}

/**
 * The last lines the gateway logged, for `mgmt/log`: a bounded ring fed as a pino destination
 * (`write` takes one JSON line per call). Lines below the tail level are skipped; messages and
 * context values are cut to a few hundred characters so one huge error cannot swell the tail.
 */
export class LogTail {
  readonly #size: number;
  readonly #min: number;
  readonly #ring: LogLine[] = [];
  #dropped = 0;
  #revision = 0;

  constructor(opts: LogTailOptions) {
    this.#size = opts.size;
    this.#min = LEVEL_VALUE[opts.level ?? 'warn'] ?? 40;
  }

  /** Increases with every line kept: a publisher compares it to know whether there is news. */
  get revision(): number {
    return this.#revision;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** The kept lines, oldest first (a copy). */
  lines(): LogLine[] {
    return [...this.#ring];
  }

  /** pino destination: one serialised line per call; anything unparseable is ignored. */
  write(chunk: string): boolean {
    for (const text of chunk.split('\n')) {
      if (text.length > 0) this.#add(text);
    }
    return true;
  }

  /** A destination writing every line to `next` (stdout, a file) and the tail. */
  tee(next: { write(chunk: string): unknown }): { write(chunk: string): boolean } {
    return {
      write: (chunk: string): boolean => {
        next.write(chunk);
        return this.write(chunk);
      },
    };
  }

  #add(text: string): void {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    const levelNo = typeof rec['level'] === 'number' ? rec['level'] : 0;
    const level = LEVELS[levelNo];
    if (!level || levelNo < this.#min) return;
    const time = rec['time'];
    const ts = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN;
    const context: Record<string, string> = {};
    for (const [k, v] of Object.entries(rec)) {
      if (SKIP.has(k) || Object.keys(context).length >= MAX_CONTEXT_KEYS) continue;
      context[k] = cut(describe(v));
    }
    const line: LogLine = {
      ts: Number.isFinite(ts) ? Math.trunc(ts) : 0,
      level,
      msg: cut(typeof rec['msg'] === 'string' ? rec['msg'] : ''),
      ...(Object.keys(context).length > 0 ? { context } : {}),
    };
    this.#ring.push(line);
    if (this.#ring.length > this.#size) {
      this.#ring.shift();
      this.#dropped++;
    }
    this.#revision++;
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return v;
  const e = v as { message?: unknown; code?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    return typeof e.code === 'string' ? `${e.code}: ${e.message}` : e.message;
  }
  return JSON.stringify(v) ?? String(v);
}

function cut(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
}
