import type { EvalResult, GroupState, WindowRow } from '@watershed/rule-sql';
import { restoreGroup, saveGroup, type WindowDeps, type WindowState } from './window.js';

interface OpenGroup {
  readonly state: GroupState;
  readonly rows: WindowRow[];
}

interface OpenWindow {
  readonly start: number;
  readonly end: number;
  readonly groups: Map<string, OpenGroup>;
  readonly failures: EvalResult[];
}

/**
 * Tumbling and hopping windows in event time: a message is placed by its own timestamp (a
 * field the rule names, e.g. the uplink's `payload.ts`), and windows close on the watermark —
 * the largest timestamp seen minus the late tolerance — not on a timer. That suits
 * store-and-forward replay, where an hour of data arrives in seconds. A message older than the
 * watermark whose windows have all closed is late and is dropped (reported to the caller).
 * Without new messages the watermark does not move, so the last windows wait (as in eKuiper).
 */
export class EventTimeWindows {
  readonly #deps: WindowDeps;
  readonly #size: number;
  readonly #hop: number;
  readonly #tolerance: number;
  readonly #open = new Map<number, OpenWindow>();
  #watermark = -Infinity;

  constructor(deps: WindowDeps, sizeMs: number, hopMs: number, lateToleranceMs: number) {
    this.#deps = deps;
    this.#size = sizeMs;
    this.#hop = hopMs;
    this.#tolerance = lateToleranceMs;
  }

  get openGroups(): number {
    let n = 0;
    for (const w of this.#open.values()) n += w.groups.size;
    return n;
  }

  /** Adds a row at event time `ts`; false when it is late for every window it belongs to. */
  addAt(row: WindowRow, ts: number): boolean {
    let placed = false;
    for (let start = Math.floor(ts / this.#hop) * this.#hop; start + this.#size > ts; start -= this.#hop) {
      if (start + this.#size <= this.#watermark) continue; // that window has closed
      this.#addTo(this.#window(start), row);
      placed = true;
    }
    if (ts - this.#tolerance > this.#watermark) {
      this.#watermark = ts - this.#tolerance;
      this.#closeUpTo(this.#watermark);
    }
    return placed;
  }

  stop(): void {
    this.#open.clear();
  }

  snapshot(): WindowState {
    return {
      kind: 'time',
      windows: [...this.#open.values()].map((w) => ({
        start: w.start,
        groups: [...w.groups].map(([key, g]) => saveGroup(key, g.state, g.rows)),
      })),
      ...(Number.isFinite(this.#watermark) ? { watermark: this.#watermark } : {}),
    };
  }

  restore(state: WindowState): void {
    if (state.kind !== 'time') return;
    for (const saved of state.windows) {
      const w = this.#window(saved.start);
      for (const g of saved.groups)
        restoreGroup(this.#group(w, g.key).state, g, (row) => this.#addTo(w, row));
    }
    if (state.watermark !== undefined && state.watermark > this.#watermark) {
      this.#watermark = state.watermark;
      this.#closeUpTo(this.#watermark);
    }
  }

  #group(w: OpenWindow, key: string): OpenGroup {
    let g = w.groups.get(key);
    if (!g) w.groups.set(key, (g = { state: this.#deps.rule.createGroup(), rows: [] }));
    return g;
  }

  #addTo(w: OpenWindow, row: WindowRow): void {
    const g = this.#group(w, row.key);
    const added = g.state.add(row);
    if (!added.ok) w.failures.push(added);
    if (this.#deps.retainRows) g.rows.push(row);
  }

  #window(start: number): OpenWindow {
    let w = this.#open.get(start);
    if (!w) this.#open.set(start, (w = { start, end: start + this.#size, groups: new Map(), failures: [] }));
    return w;
  }

  /** Emits, oldest first, every window that ends at or before the watermark. */
  #closeUpTo(watermark: number): void {
    const due = [...this.#open.values()].filter((w) => w.end <= watermark).sort((a, b) => a.start - b.start);
    for (const w of due) {
      this.#open.delete(w.start);
      const bounds = { start: w.start, end: w.end };
      const results: EvalResult[] = [...w.failures];
      for (const g of w.groups.values()) results.push(g.state.emit(bounds));
      this.#deps.emit(results, bounds);
    }
  }
}
