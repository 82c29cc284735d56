import type { Clock, Logger } from '@watershed/common';
import { isEmptyState, plainState, type CheckpointStore } from './checkpoint.js';
import type { RuleRuntime } from './rule-runtime.js';

export interface CheckpointTarget {
  readonly id: string;
  readonly sql: string;
  readonly runtime: RuleRuntime;
}

/**
 * Saves and restores the open windows of windowed rules through a {@link CheckpointStore}.
 * Failures are logged and never reach the data path: a lost checkpoint costs, at worst, the
 * windows open at a crash.
 */
export class Checkpointer {
  readonly #store: CheckpointStore;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(store: CheckpointStore, clock: Clock, logger: Logger) {
    this.#store = store;
    this.#clock = clock;
    this.#logger = logger;
  }

  /** Saves every windowed rule given; an empty window state deletes the rule's checkpoint. */
  async save(targets: Iterable<CheckpointTarget>): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const t of targets) {
      const state = t.runtime.snapshot();
      if (!state) continue;
      const write = isEmptyState(state)
        ? this.#store.delete(t.id)
        : this.#store.save(t.id, {
            version: 1,
            sql: t.sql,
            savedAt: this.#clock.now(),
            state: plainState(state),
          });
      writes.push(write.catch((err: unknown) => this.#warn(t.id, 'save', err)));
    }
    await Promise.all(writes);
  }

  /** Restores one rule's windows; false when there was no usable checkpoint. */
  async restore(t: CheckpointTarget): Promise<boolean> {
    if (!t.runtime.rule.window) return false;
    try {
      const cp = await this.#store.load(t.id);
      if (!cp) return false;
      if (cp.version !== 1 || cp.sql !== t.sql) {
        this.#logger.info({ rule: t.id }, 'rule text changed since the checkpoint; windows start empty');
        return false;
      }
      t.runtime.restore(cp.state);
      return true;
    } catch (err) {
      this.#warn(t.id, 'restore', err);
      return false;
    }
  }

  async remove(id: string): Promise<void> {
    await this.#store.delete(id).catch((err: unknown) => this.#warn(id, 'delete', err));
  }

  #warn(rule: string, op: string, err: unknown): void {
    this.#logger.warn({ rule, err }, `rule checkpoint ${op} failed`);
  }
}
