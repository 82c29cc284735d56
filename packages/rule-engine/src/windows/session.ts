import type { TimerHandle } from '@watershed/common';
import type { EvalResult, GroupState, WindowRow } from '@watershed/rule-sql';
import {
  Timers,
  addToGroup,
  restoreGroup,
  saveGroup,
  type WindowDeps,
  type WindowOperator,
  type WindowState,
} from './window.js';

interface Session {
  readonly start: number;
  last: number;
  readonly group: GroupState;
  readonly failures: EvalResult[];
  /** Accepted rows, kept only for checkpoints (`retainRows`). */
  readonly rows: WindowRow[];
  idle: TimerHandle | undefined;
  max: TimerHandle | undefined;
}

/**
 * SESSIONWINDOW(unit, maxDuration, timeout), per group: a session opens with a group's first
 * message and closes after `timeout` without one, or `maxDuration` after it opened, whichever
 * comes first (eKuiper). Bounds are the session's opening and closing times.
 */
export class SessionWindows implements WindowOperator {
  readonly #deps: WindowDeps;
  readonly #max: number;
  readonly #timeout: number;
  readonly #timers: Timers;
  readonly #sessions = new Map<string, Session>();

  constructor(deps: WindowDeps, maxMs: number, timeoutMs: number) {
    this.#deps = deps;
    this.#max = maxMs;
    this.#timeout = timeoutMs;
    this.#timers = new Timers(deps.clock);
  }

  get openGroups(): number {
    return this.#sessions.size;
  }

  add(row: WindowRow): void {
    const now = this.#deps.clock.now();
    this.#addTo(this.#session(row.key, now), row, now);
  }

  stop(): void {
    this.#timers.cancelAll();
    this.#sessions.clear();
  }

  snapshot(): WindowState {
    return {
      kind: 'session',
      sessions: [...this.#sessions].map(([key, s]) => ({
        ...saveGroup(key, s.group, s.rows),
        start: s.start,
        last: s.last,
      })),
    };
  }

  restore(state: WindowState): void {
    if (state.kind !== 'session') return;
    for (const saved of state.sessions) {
      const s = this.#session(saved.key, saved.start);
      const at = Math.max(s.last, saved.last);
      restoreGroup(s.group, saved, (row) => this.#addTo(s, row, at));
      this.#touch(saved.key, s, at);
    }
  }

  #session(key: string, start: number): Session {
    const existing = this.#sessions.get(key);
    if (existing) return existing;
    const s: Session = {
      start,
      last: start,
      group: this.#deps.rule.createGroup(),
      failures: [],
      rows: [],
      idle: undefined,
      max: undefined,
    };
    const untilMax = Math.max(0, start + this.#max - this.#deps.clock.now());
    s.max = this.#timers.after(untilMax, () => this.#close(key, s));
    this.#sessions.set(key, s);
    return s;
  }

  #addTo(s: Session, row: WindowRow, at: number): void {
    addToGroup(s.group, row, s.failures);
    if (this.#deps.retainRows) s.rows.push(row);
    this.#touch(row.key, s, at);
  }

  /** Records activity at `at` and restarts the idle timer from there. */
  #touch(key: string, s: Session, at: number): void {
    s.last = at;
    this.#timers.cancel(s.idle);
    const untilIdle = Math.max(0, at + this.#timeout - this.#deps.clock.now());
    s.idle = this.#timers.after(untilIdle, () => this.#close(key, s));
  }

  #close(key: string, s: Session): void {
    if (this.#sessions.get(key) !== s) return;
    this.#sessions.delete(key);
    this.#timers.cancel(s.idle);
    this.#timers.cancel(s.max);
    const bounds = { start: s.start, end: this.#deps.clock.now() };
    this.#deps.emit([...s.failures, s.group.emit(bounds)], bounds);
  }
}
