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

interface OpenGroup {
  readonly state: GroupState;
  /** Accepted rows, kept only for checkpoints (`retainRows`). */
  readonly rows: WindowRow[];
}

interface OpenWindow {
  readonly start: number;
  readonly end: number;
  readonly groups: Map<string, OpenGroup>;
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
      this.#addTo(this.#window(start, now), row);
    }
  }

  stop(): void {
    this.#timers.cancelAll();
    this.#open.clear();
  }

  snapshot(): WindowState {
    return {
      kind: 'time',
      windows: [...this.#open.values()].map((w) => ({
        start: w.start,
        groups: [...w.groups].map(([key, g]) => saveGroup(key, g.state, g.rows)),
      })),
    };
  }

  restore(state: WindowState): void {
    if (state.kind !== 'time') return;
    const now = this.#deps.clock.now();
    for (const saved of state.windows) {
      const w = this.#window(saved.start, now);
      for (const g of saved.groups)
        restoreGroup(this.#group(w, g.key).state, g, (row) => this.#addTo(w, row));
    }
  }

  #group(w: OpenWindow, key: string): OpenGroup {
    let g = w.groups.get(key);
    if (!g) w.groups.set(key, (g = { state: this.#deps.rule.createGroup(), rows: [] }));
    return g;
  }

  #addTo(w: OpenWindow, row: WindowRow): void {
    const g = this.#group(w, row.key);
    addToGroup(g.state, row, w.failures);
    if (this.#deps.retainRows) g.rows.push(row);
  }

  #window(start: number, now: number): OpenWindow {
    let w = this.#open.get(start);
    if (!w) {
      w = { start, end: start + this.#size, groups: new Map(), failures: [] };
      this.#open.set(start, w);
      const closing = w;
      this.#timers.after(Math.max(0, w.end - now), () => this.#close(closing));
    }
    return w;
  }

  #close(w: OpenWindow): void {
    this.#open.delete(w.start);
    const bounds = { start: w.start, end: w.end };
    const results: EvalResult[] = [...w.failures];
    for (const g of w.groups.values()) results.push(g.state.emit(bounds));
    this.#deps.emit(results, bounds);
  }
}
