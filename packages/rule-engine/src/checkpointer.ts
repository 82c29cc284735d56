import type { Clock, Logger } from '@watershed/common';
import {
  CHECKPOINT_VERSION,
  isEmptyState,
  plainState,
  ruleHash,
  type CheckpointStore,
} from './checkpoint.js';
import type { EventTimeOptions } from './event-time.js';
import type { RuleRuntime } from './rule-runtime.js';

export interface CheckpointTarget {
  readonly id: string;
  readonly sql: string;
  readonly eventTime: EventTimeOptions | undefined;
  readonly runtime: RuleRuntime;
}

/** Why a checkpoint was not used or written, for the engine's `onCheckpointProblem`. */
export interface CheckpointProblem {
  readonly ruleId: string;
  readonly op: 'save' | 'restore' | 'delete';
  readonly error: unknown;
}

/**
 * Saves and restores the state of stateful rules through a {@link CheckpointStore}. Failures are
 * logged and reported and never reach the data path: a lost or unreadable checkpoint costs, at
 * worst, the windows open at a crash.
 */
export class Checkpointer {
  readonly #store: CheckpointStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #report: ((p: CheckpointProblem) => void) | undefined;

  constructor(
    store: CheckpointStore,
    clock: Clock,
    logger: Logger,
    report: ((p: CheckpointProblem) => void) | undefined,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#logger = logger;
    this.#report = report;
  }

  /** Saves every stateful rule given; a rule with nothing open deletes its checkpoint. */
  async save(targets: Iterable<CheckpointTarget>): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const t of targets) {
      const state = t.runtime.snapshot();
      if (!state) continue;
      const empty = (!state.windows || isEmptyState(state.windows)) && !state.analytics;
      const write = empty
        ? this.#store.delete(t.id)
        : this.#store.save(t.id, {
            version: CHECKPOINT_VERSION,
            sqlHash: ruleHash(t.sql, t.eventTime),
            savedAt: this.#clock.now(),
            ...(state.windows ? { windows: plainState(state.windows) } : {}),
            ...(state.analytics ? { analytics: state.analytics } : {}),
          });
      writes.push(write.catch((err: unknown) => this.#problem(t.id, 'save', err)));
    }
    await Promise.all(writes);
  }

  /** Restores one rule's state; false when there was no usable checkpoint. */
  async restore(t: CheckpointTarget): Promise<boolean> {
    if (!t.runtime.stateful) return false;
    try {
      const cp = await this.#store.load(t.id);
      if (!cp) return false;
      if (cp.sqlHash !== ruleHash(t.sql, t.eventTime)) {
        this.#logger.info({ rule: t.id }, 'rule text changed since the checkpoint; its state starts empty');
        return false;
      }
      t.runtime.restore(cp);
      return true;
    } catch (err) {
      this.#problem(t.id, 'restore', err);
      return false;
    }
  }

  async remove(id: string): Promise<void> {
    await this.#store.delete(id).catch((err: unknown) => this.#problem(id, 'delete', err));
  }

  #problem(ruleId: string, op: CheckpointProblem['op'], error: unknown): void {
    this.#logger.warn({ rule: ruleId, err: error }, `rule checkpoint ${op} failed`);
    try {
      this.#report?.({ ruleId, op, error });
    } catch (err) {
      this.#logger.warn({ err }, 'onCheckpointProblem threw');
    }
  }
}
