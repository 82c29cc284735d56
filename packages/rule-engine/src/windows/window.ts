import type { Clock, TimerHandle } from '@watershed/common';
import type {
  CompiledRule,
  EvalResult,
  GroupSnapshot,
  GroupState,
  Row,
  WindowBounds,
  WindowRow,
} from '@watershed/rule-sql';

/**
 * The runtime half of eKuiper windows: when windows open and close, on the injected clock, in
 * processing time. rule-sql gives the pure half (`accept` → WindowRow, `createGroup`, `emit`).
 * Timers exist only while a window is open, so an idle rule holds none.
 */
export interface WindowOperator {
  /** Adds an accepted row at the clock's current time. */
  add(row: WindowRow): void;
  /** Cancels every timer and drops open windows without emitting. */
  stop(): void;
  /** Open windows and groups, for tests and the console. */
  readonly openGroups: number;
  /** The open windows as plain data (needs `retainRows` for time and session windows). */
  snapshot(): WindowState;
  /** Merges a snapshot back in; windows whose time has passed close on the next tick. */
  restore(state: WindowState): void;
}

/**
 * Open-window state as plain data, for checkpoints. A group is saved as its partial aggregates
 * (`state`) when every aggregate of the rule can save one, else as its rows, replayed on restore.
 */
export type WindowState =
  | {
      readonly kind: 'time';
      readonly windows: readonly { start: number; groups: readonly KeyedRows[] }[];
      /** Event-time windows: the watermark, so late messages stay late after a restart. */
      readonly watermark?: number;
    }
  | {
      readonly kind: 'sliding';
      readonly entries: readonly { at: number; row: WindowRow }[];
      readonly triggers: readonly { key: string; at: number }[];
    }
  | {
      readonly kind: 'session';
      readonly sessions: readonly (KeyedRows & { start: number; last: number })[];
    }
  | {
      readonly kind: 'count';
      readonly groups: readonly { key: string; seq: number; rows: readonly WindowRow[] }[];
    };

/** One group of an open window: its partial aggregates or, failing that, its rows. */
export interface KeyedRows {
  readonly key: string;
  readonly rows?: readonly WindowRow[];
  readonly state?: GroupSnapshot;
}

/** A group as checkpoint data: its aggregates when the rule can save them, else the kept rows. */
export function saveGroup(key: string, group: GroupState, rows: readonly WindowRow[]): KeyedRows {
  const state = group.save();
  return state ? { key, state } : { key, rows };
}

/** Brings a saved group back into `group`: merges its aggregates or replays its rows via `add`. */
export function restoreGroup(group: GroupState, saved: KeyedRows, add: (row: WindowRow) => void): void {
  if (saved.state) group.merge(saved.state);
  for (const row of saved.rows ?? []) add(row);
}

/** Receives one emit: per group, its projected rows or why it failed. */
export type EmitSink = (results: readonly EvalResult[], bounds: WindowBounds) => void;

export interface WindowDeps {
  readonly rule: CompiledRule;
  readonly clock: Clock;
  readonly emit: EmitSink;
  /**
   * Keep accepted rows in incrementally aggregated windows too (tumbling, hopping, session), so
   * they can be checkpointed. Off by default: those windows then hold one state per group.
   */
  readonly retainRows?: boolean;
}

/** Aggregates `rows` into a fresh group and projects it; used by windows that keep rows. */
export function emitRows(rule: CompiledRule, rows: readonly WindowRow[], bounds: WindowBounds): EvalResult {
  const g = rule.createGroup();
  for (const r of rows) {
    const added = g.add(r);
    if (!added.ok) return added;
  }
  return g.emit(bounds);
}

/** Adds to a group, turning a failure into an emit-time result so it is counted once. */
export function addToGroup(g: GroupState, row: WindowRow, failures: EvalResult[]): void {
  const added = g.add(row);
  if (!added.ok) failures.push(added);
}

/** Owns a set of timers so `stop()` can cancel them all. */
export class Timers {
  readonly #clock: Clock;
  readonly #handles = new Set<TimerHandle>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  after(ms: number, fn: () => void): TimerHandle {
    const h = this.#clock.setTimeout(() => {
      this.#handles.delete(h);
      fn();
    }, ms);
    this.#handles.add(h);
    return h;
  }

  cancel(h: TimerHandle | undefined): void {
    if (!h) return;
    this.#clock.clearTimeout(h);
    this.#handles.delete(h);
  }

  cancelAll(): void {
    for (const h of this.#handles) this.#clock.clearTimeout(h);
    this.#handles.clear();
  }
}

export type { Row };
