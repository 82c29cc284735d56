import type { Logger } from '@watershed/common';

export interface WriteBehindOptions<Op, Keyed> {
  /** Writes one batch atomically (one transaction); throws when it could not. */
  commit(ops: readonly Op[], keyed: ReadonlyMap<string, Keyed>): void;
  /** Told when a batch could not be written; the batch is then lost. */
  failed(err: unknown, changes: number): void;
  logger: Logger;
}

/**
 * The write-behind journal: changes are appended in memory and committed as one transaction
 * after the current turn of the event loop (`setImmediate`), so a burst of messages read from
 * many sockets in one I/O phase costs one commit, and nothing on the packet path waits for
 * the disk. Changes under a key (a retained topic) replace each other within a batch: only the
 * last one is written.
 *
 * Callers that must not speak before their change is durable (an acknowledgement) pass a
 * callback to `afterDurable`; it runs right after the commit, in call order.
 *
 * This is the same trade Mosquitto makes with `autosave_interval` and EMQX with its durable
 * session "checkpoint interval", with a window of one event-loop turn instead of seconds, and
 * with the acknowledgement held until the commit so no acknowledged message is in the window.
 */
export class WriteBehind<Op, Keyed> {
  readonly #opts: WriteBehindOptions<Op, Keyed>;
  #ops: Op[] = [];
  #keyed = new Map<string, Keyed>();
  #callbacks: Array<() => void> = [];
  #scheduled: NodeJS.Immediate | undefined;
  #draining = false;

  constructor(opts: WriteBehindOptions<Op, Keyed>) {
    this.#opts = opts;
  }

  /** True when no change is waiting to be committed. */
  get durable(): boolean {
    return this.#ops.length === 0 && this.#keyed.size === 0;
  }

  get pending(): number {
    return this.#ops.length + this.#keyed.size;
  }

  push(op: Op): void {
    this.#ops.push(op);
    this.#schedule();
  }

  set(key: string, value: Keyed): void {
    this.#keyed.set(key, value);
    this.#schedule();
  }

  afterDurable(fn: () => void): void {
    // Callbacks queued earlier run first, so a durable state must also wait behind them.
    if (this.durable && this.#callbacks.length === 0 && !this.#draining) {
      fn();
      return;
    }
    this.#callbacks.push(fn);
    this.#schedule();
  }

  /** Commits what is pending now and runs the callbacks waiting for it. */
  flush(): void {
    if (this.#scheduled !== undefined) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
    }
    if (!this.durable) {
      const ops = this.#ops;
      const keyed = this.#keyed;
      this.#ops = [];
      this.#keyed = new Map();
      try {
        this.#opts.commit(ops, keyed);
      } catch (err) {
        // Availability over durability: the acknowledgements still go out (the messages are
        // in memory and will be delivered), but they are not crash-safe; the operator is told.
        this.#opts.failed(err, ops.length + keyed.size);
      }
    }
    const callbacks = this.#callbacks;
    this.#callbacks = [];
    this.#draining = true;
    try {
      for (const fn of callbacks) {
        try {
          fn();
        } catch (err) {
          this.#opts.logger.error({ err }, 'callback after MQTT state commit threw');
        }
      }
    } finally {
      this.#draining = false;
    }
    if (!this.durable || this.#callbacks.length > 0) this.#schedule();
  }

  /** Flushes and stops scheduling; later changes are refused by the owner. */
  close(): void {
    // Callbacks may record more (a PUBLISH that turns out too large is dropped); a few rounds
    // settle it.
    for (let round = 0; round < 8 && (!this.durable || this.#callbacks.length > 0); round++) this.flush();
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
  }

  #schedule(): void {
    this.#scheduled ??= setImmediate(this.#onImmediate);
  }

  readonly #onImmediate = (): void => {
    this.#scheduled = undefined;
    this.flush();
  };
}
