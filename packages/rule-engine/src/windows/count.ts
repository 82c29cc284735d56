import type { WindowRow } from '@watershed/rule-sql';
import { emitRows, type WindowDeps, type WindowOperator, type WindowState } from './window.js';

interface CountGroup {
  /** Rows accepted for this group so far. */
  seq: number;
  readonly rows: WindowRow[];
}

/**
 * COUNTWINDOW(n[, hop]), per group: once a group has `n` rows, emit its last `n` rows, then again
 * every `hop` rows (hop = n: consecutive, non-overlapping windows). Bounds are 1-based row
 * numbers within the group, as rule-sql documents for count windows. No timers.
 */
export class CountWindows implements WindowOperator {
  readonly #deps: WindowDeps;
  readonly #count: number;
  readonly #hop: number;
  readonly #groups = new Map<string, CountGroup>();

  constructor(deps: WindowDeps, count: number, hop: number) {
    this.#deps = deps;
    this.#count = count;
    this.#hop = hop;
  }

  get openGroups(): number {
    return this.#groups.size;
  }

  add(row: WindowRow): void {
    let g = this.#groups.get(row.key);
    if (!g) this.#groups.set(row.key, (g = { seq: 0, rows: [] }));
    g.seq++;
    g.rows.push(row);
    if (g.rows.length > this.#count) g.rows.shift();
    if (g.rows.length === this.#count && (g.seq - this.#count) % this.#hop === 0) {
      const bounds = { start: g.seq - this.#count + 1, end: g.seq };
      this.#deps.emit([emitRows(this.#deps.rule, g.rows, bounds)], bounds);
      if (this.#hop === this.#count) g.rows.length = 0;
    }
  }

  stop(): void {
    this.#groups.clear();
  }

  snapshot(): WindowState {
    return {
      kind: 'count',
      groups: [...this.#groups].map(([key, g]) => ({ key, seq: g.seq, rows: g.rows })),
    };
  }

  restore(state: WindowState): void {
    if (state.kind !== 'count') return;
    for (const saved of state.groups) {
      // Rows counted since start come after the saved ones.
      const current = this.#groups.get(saved.key);
      const rows = [...saved.rows, ...(current?.rows ?? [])].slice(-this.#count);
      this.#groups.set(saved.key, { seq: saved.seq + (current?.seq ?? 0), rows });
    }
  }
}
