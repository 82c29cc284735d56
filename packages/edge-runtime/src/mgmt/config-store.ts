import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { EdgeErrors } from '../errors.js';

/** The last config the console pushed and the gateway applied. */
export interface AppliedConfig {
  version: number;
  checksum: string;
  /** ms epoch when it was applied. */
  appliedAt: number;
  /** The plant section as pushed (before schema defaults), the input of the checksum. */
  config: Record<string, unknown>;
}

/**
 * Keeps the applied config in one JSON file, replaced atomically: written to a temporary file
 * beside it, flushed to disk, renamed over the old one (rename(2) is atomic within a file
 * system), and the directory flushed so the rename itself survives a power cut. A crash at any
 * point leaves either the old file or the new one, never a torn one. Without a file (no
 * `mgmt.stateFile` and no buffer file) nothing is kept and a restart runs the local config.
 */
export class ConfigStore {
  readonly #file: string | undefined;

  constructor(file: string | undefined) {
    this.#file = file;
  }

  get file(): string | undefined {
    return this.#file;
  }

  /** The saved config, or undefined when there is none; throws WS_ERR_EDGE_STATE_READ if unreadable. */
  load(): AppliedConfig | undefined {
    if (this.#file === undefined || !existsSync(this.#file)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.#file, 'utf8'));
    } catch (err) {
      throw EdgeErrors.STATE_READ.create([this.#file, (err as Error).message], undefined, err);
    }
    if (!isApplied(parsed)) throw EdgeErrors.STATE_READ.create([this.#file, 'not an applied config record']);
    return parsed;
  }

  /** Replaces the saved config atomically; throws WS_ERR_EDGE_STATE_WRITE. */
  save(applied: AppliedConfig): void {
    const file = this.#file;
    if (file === undefined) return;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(file), { recursive: true });
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(applied, null, 2) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
      const dir = openSync(dirname(file), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch (err) {
      throw EdgeErrors.STATE_WRITE.create([file, (err as Error).message], undefined, err);
    }
  }
}

function isApplied(v: unknown): v is AppliedConfig {
  const a = v as Partial<AppliedConfig> | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    Number.isInteger(a.version) &&
    typeof a.checksum === 'string' &&
    typeof a.appliedAt === 'number' &&
    typeof a.config === 'object' &&
    a.config !== null
  );
}
