import type { EvalResult, GroupState, WindowRow } from '@watershed/rule-sql';
import { Timers, addToGroup, type WindowDeps, type WindowOperator } from './window.js';

interface OpenWindow {
  readonly start: number;
  readonly end: number;
  readonly groups: Map<string, GroupState>;
  readonly failures: EvalResult[];
}

/**
 * TUMBLINGWINDOW(unit, size) and HOPPINGWINDOW(unit, size, hop): windows aligned to the epoch
 * (eKuiper aligns them the same way), `[start, start + size)`, a new one every `hop` (tumbling:
 * hop = size). A message belongs to every window that contains its arrival time; groups aggregate
 * incrementally, so a window holds one aggregate state per group, not its rows.
 */
export class TimeWindows implements WindowOperator {
  readonly #deps: WindowDeps;
  readonly #size: number;
  readonly #hop: number;
  readonly #timers: Timers;
  readonly #open = new Map<number, OpenWindow>();

  constructor(deps: WindowDeps, sizeMs: number, hopMs: number) {
    this.#deps = deps;
    this.#size = sizeMs;
    this.#hop = hopMs;
    this.#timers = new Timers(deps.clock);
  }

  get openGroups(): number {
    let n = 0;
    for (const w of this.#open.values()) n += w.groups.size;
    return n;
  }

  add(row: WindowRow): void {
    const now = this.#deps.clock.now();
    for (let start = Math.floor(now / this.#hop) * this.#hop; start + this.#size > now; start -= this.#hop) {
      const w = this.#window(start, now);
      let g = w.groups.get(row.key);
      if (!g) w.groups.set(row.key, (g = this.#deps.rule.createGroup()));
      addToGroup(g, row, w.failures);
    }
  }

  stop(): void {
    this.#timers.cancelAll();
    this.#open.clear();
  }

  #window(start: number, now: number): OpenWindow {
    let w = this.#open.get(start);
    if (!w) {
      w = { start, end: start + this.#size, groups: new Map(), failures: [] };
      this.#open.set(start, w);
      const closing = w;
      this.#timers.after(w.end - now, () => this.#close(closing));
    }
    return w;
  }

  #close(w: OpenWindow): void {
    this.#open.delete(w.start);
    const bounds = { start: w.start, end: w.end };
    const results: EvalResult[] = [...w.failures];
    for (const g of w.groups.values()) results.push(g.emit(bounds));
    this.#deps.emit(results, bounds);
  }
}
