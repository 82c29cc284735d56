import { MemoryRetainedStore, type RetainedStore } from '../retained-store.js';
import type { BrokerMessage } from '../types.js';
import type { StateJournal } from './types.js';

/**
 * Retained messages served from memory and recorded in the journal. Changes to one topic within
 * a batch collapse into one write (a sensor retaining every sample costs one row per batch).
 * `$SYS/…` status topics are the broker's own, rebuilt at start, and are not recorded.
 */
export class PersistentRetainedStore implements RetainedStore {
  readonly #memory = new MemoryRetainedStore();
  readonly #journal: StateJournal;

  /** `restored` are the messages loaded at start; they are not written back. */
  constructor(journal: StateJournal, restored: Iterable<BrokerMessage> = []) {
    this.#journal = journal;
    for (const m of restored) this.#memory.set(m);
  }

  set(message: BrokerMessage): void {
    this.#memory.set(message);
    if (!isSys(message.topic)) this.#journal.retainedSaved(message);
  }

  delete(topic: string): void {
    if (!this.#memory.has(topic)) return;
    this.#memory.delete(topic);
    if (!isSys(topic)) this.#journal.retainedDeleted(topic);
  }

  has(topic: string): boolean {
    return this.#memory.has(topic);
  }

  match(filter: string): Iterable<BrokerMessage> {
    return this.#memory.match(filter);
  }

  get size(): number {
    return this.#memory.size;
  }
}

function isSys(topic: string): boolean {
  return topic.startsWith('$SYS/');
}
