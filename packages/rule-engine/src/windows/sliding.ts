import type { EvalResult, WindowRow } from '@watershed/rule-sql';
import { Timers, emitRows, type WindowDeps, type WindowOperator } from './window.js';

interface Entry {
  readonly at: number;
  readonly row: WindowRow;
}

/**
 * SLIDINGWINDOW(unit, size[, delay]): every message triggers a window `(t - size, t + delay]`
 * over its own group, emitted at `t + delay` (eKuiper: "the window is triggered by an event").
 * We emit only the triggering message's group — a per-meter rule ("mean of the last 5 min of
 * this meter") should not re-emit every other meter on each message. Rows are kept for
 * `size + delay` because a sliding window re-aggregates on every trigger.
 */
export class SlidingWindows implements WindowOperator {
  readonly #deps: WindowDeps;
  readonly #size: number;
  readonly #delay: number;
  readonly #timers: Timers;
  /** Per group, rows in arrival order. */
  readonly #rows = new Map<string, Entry[]>();

  constructor(deps: WindowDeps, sizeMs: number, delayMs: number) {
    this.#deps = deps;
    this.#size = sizeMs;
    this.#delay = delayMs;
    this.#timers = new Timers(deps.clock);
  }

  get openGroups(): number {
    return this.#rows.size;
  }

  add(row: WindowRow): void {
    const now = this.#deps.clock.now();
    let list = this.#rows.get(row.key);
    if (!list) this.#rows.set(row.key, (list = []));
    list.push({ at: now, row });
    if (this.#delay === 0) this.#trigger(row.key, now);
    else this.#timers.after(this.#delay, () => this.#trigger(row.key, now));
  }

  stop(): void {
    this.#timers.cancelAll();
    this.#rows.clear();
  }

  #trigger(key: string, t: number): void {
    const list = this.#rows.get(key);
    if (!list) return;
    const bounds = { start: t - this.#size, end: t + this.#delay };
    const inWindow = list.filter((e) => e.at > bounds.start && e.at <= bounds.end).map((e) => e.row);
    const result: EvalResult = emitRows(this.#deps.rule, inWindow, bounds);
    this.#prune(key, list);
    this.#deps.emit([result], bounds);
  }

  /** Pending triggers are at most `delay` old, and look back `size` from there. */
  #prune(key: string, list: Entry[]): void {
    const horizon = this.#deps.clock.now() - this.#size - this.#delay;
    let drop = 0;
    while (drop < list.length && list[drop]!.at <= horizon) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) this.#rows.delete(key);
  }
}
