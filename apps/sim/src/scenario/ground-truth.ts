import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '@watershed/common';

/** One line of the ground-truth file: what was injected into the network, and when. */
export interface GroundTruthRecord {
  /** `start` when the event began acting, `end` when it was undone. */
  phase: 'start' | 'end';
  kind: string;
  network: string;
  element: string;
  /** Simulated seconds since 00:00 of day 0 when the change was applied to the model. */
  simTime: number;
  /** The same as `D+HH:MM:SS`. */
  simClock: string;
  /** Wall-clock time of the tick that applied it, ISO 8601. */
  wallTime: string;
  /** Event parameters as applied (e.g. the leak's flow and emitter coefficient). */
  details: Record<string, unknown>;
}

/**
 * Appends ground-truth records as JSON Lines, in order, one write at a time. Analytics under
 * test (leak detection, alarm rules) are scored against this file. Owned by the simulator,
 * which awaits `flush()` on close so no record is lost.
 */
export class GroundTruthWriter {
  readonly #file: string;
  readonly #logger: Logger;
  #chain: Promise<void>;

  constructor(file: string, logger: Logger) {
    this.#file = file;
    this.#logger = logger;
    this.#chain = this.#prepare();
  }

  get file(): string {
    return this.#file;
  }

  /** Queues a record; records reach the file in the order written. */
  write(record: GroundTruthRecord): void {
    this.#chain = this.#append(this.#chain, `${JSON.stringify(record)}\n`);
  }

  /** Resolves once every record written so far is on disk (or has failed and been logged). */
  flush(): Promise<void> {
    return this.#chain;
  }

  async #prepare(): Promise<void> {
    try {
      await mkdir(dirname(this.#file), { recursive: true });
    } catch (err) {
      this.#logger.error({ err, file: this.#file }, 'cannot create the ground-truth directory');
    }
  }

  /** Never rejects: a failed append is logged, and later records still get their turn. */
  async #append(previous: Promise<void>, line: string): Promise<void> {
    await previous;
    try {
      await appendFile(this.#file, line, 'utf8');
    } catch (err) {
      this.#logger.error({ err, file: this.#file }, 'cannot write ground truth');
    }
  }
}
