import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCheckpoint, type CheckpointStore, type RuleCheckpoint } from './checkpoint.js';

const SUFFIX = '.checkpoint.json';

/**
 * One JSON file per rule in a directory. A save writes a temporary file, fsyncs it and renames it
 * over the old one (rename is atomic within a directory on POSIX), so a crash mid-write leaves
 * the previous checkpoint, never a torn one. Saves of one rule are serialized; different rules
 * write in parallel.
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly #dir: string;
  readonly #queues = new Map<string, Promise<void>>();
  #ready: Promise<void> | undefined;
  #seq = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The file of a rule: ids are URI-encoded so any id is one safe file name. */
  fileOf(ruleId: string): string {
    return join(this.#dir, encodeURIComponent(ruleId) + SUFFIX);
  }

  async load(ruleId: string): Promise<RuleCheckpoint | undefined> {
    let text: string;
    try {
      text = await readFile(this.fileOf(ruleId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseCheckpoint(ruleId, text);
  }

  save(ruleId: string, checkpoint: RuleCheckpoint): Promise<void> {
    const text = JSON.stringify(checkpoint);
    return this.#serial(ruleId, () => this.#write(ruleId, text));
  }

  delete(ruleId: string): Promise<void> {
    return this.#serial(ruleId, () => rm(this.fileOf(ruleId), { force: true }));
  }

  async #write(ruleId: string, text: string): Promise<void> {
    this.#ready ??= mkdir(this.#dir, { recursive: true }).then(() => undefined);
    await this.#ready;
    const file = this.fileOf(ruleId);
    const tmp = `${file}.${process.pid}.${++this.#seq}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Runs `op` after the rule's previous write, so an older snapshot never lands last. */
  #serial(ruleId: string, op: () => Promise<void>): Promise<void> {
    const prev = this.#queues.get(ruleId) ?? Promise.resolve();
    const next = prev.then(op, op);
    const tail = next.catch(() => undefined);
    this.#queues.set(ruleId, tail);
    void tail.then(() => {
      if (this.#queues.get(ruleId) === tail) this.#queues.delete(ruleId);
    });
    return next;
  }
}
