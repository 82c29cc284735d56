import type { TimerHandle } from '@watershed/common';
import type { EvalResult, GroupState, WindowRow } from '@watershed/rule-sql';
import { Timers, addToGroup, type WindowDeps, type WindowOperator } from './window.js';

interface Session {
  readonly start: number;
  readonly group: GroupState;
  readonly failures: EvalResult[];
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
    let s = this.#sessions.get(row.key);
    if (!s) {
      const opened: Session = {
        start: this.#deps.clock.now(),
        group: this.#deps.rule.createGroup(),
        failures: [],
        idle: undefined,
        max: undefined,
      };
      opened.max = this.#timers.after(this.#max, () => this.#close(row.key, opened));
      this.#sessions.set(row.key, (s = opened));
    }
    addToGroup(s.group, row, s.failures);
    this.#timers.cancel(s.idle);
    const current = s;
    s.idle = this.#timers.after(this.#timeout, () => this.#close(row.key, current));
  }

  stop(): void {
    this.#timers.cancelAll();
    this.#sessions.clear();
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
