import type { TimerHandle } from '@watershed/common';
import type { EvalResult, WindowRow } from '@watershed/rule-sql';
import { Timers, emitRows, type WindowDeps, type WindowOperator, type WindowState } from './window.js';

interface Entry {
  readonly at: number;
  readonly row: WindowRow;
}

interface Trigger {
  readonly key: string;
  readonly at: number;
  handle: TimerHandle | undefined;
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
  /** Delayed triggers not yet fired. */
  readonly #pending = new Set<Trigger>();

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
    this.#list(row.key).push({ at: now, row });
    if (this.#delay === 0) this.#trigger(row.key, now);
    else this.#schedule(row.key, now);
  }

  stop(): void {
    this.#timers.cancelAll();
    this.#rows.clear();
    this.#pending.clear();
  }

  snapshot(): WindowState {
    const entries: Entry[] = [];
    for (const list of this.#rows.values()) entries.push(...list);
    return {
      kind: 'sliding',
      entries,
      triggers: [...this.#pending].map((t) => ({ key: t.key, at: t.at })),
    };
  }

  restore(state: WindowState): void {
    if (state.kind !== 'sliding') return;
    for (const e of state.entries) this.#list(e.row.key).push(e);
    for (const list of this.#rows.values()) list.sort((a, b) => a.at - b.at);
    for (const t of state.triggers) this.#schedule(t.key, t.at);
  }

  #list(key: string): Entry[] {
    let list = this.#rows.get(key);
    if (!list) this.#rows.set(key, (list = []));
    return list;
  }

  #schedule(key: string, at: number): void {
    const trigger: Trigger = { key, at, handle: undefined };
    this.#pending.add(trigger);
    const wait = Math.max(0, at + this.#delay - this.#deps.clock.now());
    trigger.handle = this.#timers.after(wait, () => {
      this.#pending.delete(trigger);
      this.#trigger(key, at);
    });
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
