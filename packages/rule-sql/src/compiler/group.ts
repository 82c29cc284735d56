import type { AggregateState } from '../aggregates.js';
import { EvalFault, failureOf, type FailureKind } from '../errors.js';
import type { WindowBounds } from '../context.js';
import type { EvalResult, GroupSnapshot, GroupState, WindowRow } from './rule.js';

/** What every group of one rule shares: made once per rule, not per group. */
export interface GroupPlan {
  readonly createStates: () => AggregateState[];
  /** Whether the rule has aggregates (else every row is kept and projected on emit). */
  readonly aggregated: boolean;
  readonly checkpointable: boolean;
  /** Projects the rows of a closed group with its aggregate results; throws EvalFault. */
  readonly project: (
    rows: readonly WindowRow[],
    aggs: readonly unknown[],
    bounds: WindowBounds,
  ) => EvalResult;
}

const OK = Object.freeze({ ok: true as const });
const NONE: readonly WindowRow[] = Object.freeze([]);

/**
 * One group of one window: a class, not an object of closures, because a window over 30,000
 * tags holds 30,000 of them (fields cost bytes, closures cost an object each) and `add` runs per
 * message (no callback or result object allocated there).
 */
export class WindowGroup implements GroupState {
  readonly #plan: GroupPlan;
  readonly #states: AggregateState[];
  #rows: WindowRow[] | undefined;
  #last: WindowRow | undefined;
  #count = 0;

  constructor(plan: GroupPlan) {
    this.#plan = plan;
    this.#states = plan.createStates();
  }

  get size(): number {
    return this.#count;
  }

  add(row: WindowRow): { ok: true } | { ok: false; reason: string; kind: FailureKind } {
    const states = this.#states;
    try {
      for (let i = 0; i < states.length; i++) states[i]!.add(row.values[i]);
    } catch (err) {
      return failureOf(err);
    }
    this.#last = row;
    this.#count++;
    // Without aggregates every row is projected on emit (eKuiper), so keep them.
    if (!this.#plan.aggregated) (this.#rows ??= []).push(row);
    return OK;
  }

  save(): GroupSnapshot | undefined {
    if (!this.#plan.checkpointable) return undefined;
    return {
      n: this.#count,
      aggs: this.#states.map((s) => s.save!()),
      ...(this.#last ? { last: this.#last } : {}),
      ...(this.#plan.aggregated ? {} : { rows: [...(this.#rows ?? [])] }),
    };
  }

  merge(earlier: GroupSnapshot): void {
    if (!this.#plan.checkpointable) throw new EvalFault('this rule has aggregates that cannot be restored');
    const states = this.#states;
    if (
      !Number.isInteger(earlier.n) ||
      !Array.isArray(earlier.aggs) ||
      earlier.aggs.length !== states.length
    ) {
      throw new EvalFault(`saved group does not fit the rule's ${states.length} aggregates`);
    }
    for (let i = 0; i < states.length; i++) states[i]!.merge!(earlier.aggs[i]);
    this.#count += earlier.n;
    this.#last ??= earlier.last;
    if (!this.#plan.aggregated && earlier.rows) this.#rows = [...earlier.rows, ...(this.#rows ?? [])];
  }

  emit(bounds: WindowBounds): EvalResult {
    try {
      const source = !this.#plan.aggregated ? (this.#rows ?? NONE) : this.#last ? [this.#last] : NONE;
      return this.#plan.project(
        source,
        this.#states.map((s) => s.result()),
        bounds,
      );
    } catch (err) {
      return failureOf(err);
    }
  }
}
