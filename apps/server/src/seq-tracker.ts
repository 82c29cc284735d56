export interface SeqStats {
  lastSeq: number;
  messages: number;
  /** Messages never seen between two that were. */
  missing: number;
  /** Messages seen again (a store-and-forward replay) or out of order. */
  duplicates: number;
  /** Times the sequence went back to 0: the gateway restarted. */
  restarts: number;
}

/**
 * Watches each group's `seq` to tell gaps from replays. A gateway numbers each group's
 * messages from 0 per run, so a drop to 0 is a restart, not a duplicate.
 */
export class SeqTracker {
  readonly #groups = new Map<string, SeqStats>();

  /** Records one message; returns false when it repeats one already seen. */
  observe(key: string, seq: number): boolean {
    const s = this.#groups.get(key);
    if (!s) {
      this.#groups.set(key, { lastSeq: seq, messages: 1, missing: 0, duplicates: 0, restarts: 0 });
      return true;
    }
    s.messages++;
    if (seq === s.lastSeq + 1) {
      s.lastSeq = seq;
      return true;
    }
    if (seq > s.lastSeq) {
      s.missing += seq - s.lastSeq - 1;
      s.lastSeq = seq;
      return true;
    }
    if (seq === 0) {
      s.restarts++;
      s.lastSeq = 0;
      return true;
    }
    s.duplicates++;
    return false;
  }

  stats(): Record<string, SeqStats> {
    return Object.fromEntries([...this.#groups].map(([k, v]) => [k, { ...v }]));
  }
}
