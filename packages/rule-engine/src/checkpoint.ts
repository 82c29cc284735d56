import type { WindowRow } from '@watershed/rule-sql';
import type { WindowState } from './windows/index.js';

/**
 * A windowed rule's open windows, saved so a restart does not lose a half-full hour of data.
 * Aggregate states in rule-sql are opaque, so a checkpoint holds the accepted rows (their group
 * key, aggregate arguments and message) and restoring replays them into fresh groups. The SQL is
 * saved with it: a checkpoint of a different rule text is ignored on restore.
 */
export interface RuleCheckpoint {
  readonly version: 1;
  readonly sql: string;
  /** Clock time (ms) of the snapshot. */
  readonly savedAt: number;
  /** JSON-safe: payload bytes are stored as text. */
  readonly state: WindowState;
}

/** Where checkpoints live (a file, SQLite, a KV bucket); implemented by the composition root. */
export interface CheckpointStore {
  load(ruleId: string): Promise<RuleCheckpoint | undefined>;
  save(ruleId: string, checkpoint: RuleCheckpoint): Promise<void>;
  delete(ruleId: string): Promise<void>;
}

/** Checkpoints in memory, stored as JSON text so tests prove they survive serialization. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly #data = new Map<string, string>();

  load(ruleId: string): Promise<RuleCheckpoint | undefined> {
    const text = this.#data.get(ruleId);
    return Promise.resolve(text === undefined ? undefined : (JSON.parse(text) as RuleCheckpoint));
  }

  save(ruleId: string, checkpoint: RuleCheckpoint): Promise<void> {
    this.#data.set(ruleId, JSON.stringify(checkpoint));
    return Promise.resolve();
  }

  delete(ruleId: string): Promise<void> {
    this.#data.delete(ruleId);
    return Promise.resolve();
  }

  get size(): number {
    return this.#data.size;
  }
}

const utf8 = new TextDecoder();

/** Makes a window state JSON-safe: message payload bytes become text (rule-sql accepts both). */
export function plainState(state: WindowState): WindowState {
  switch (state.kind) {
    case 'time':
      return {
        kind: 'time',
        windows: state.windows.map((w) => ({
          start: w.start,
          groups: w.groups.map((g) => ({ key: g.key, rows: g.rows.map(plainRow) })),
        })),
      };
    case 'sliding':
      return {
        kind: 'sliding',
        entries: state.entries.map((e) => ({ at: e.at, row: plainRow(e.row) })),
        triggers: state.triggers,
      };
    case 'session':
      return { kind: 'session', sessions: state.sessions.map((s) => ({ ...s, rows: s.rows.map(plainRow) })) };
    case 'count':
      return { kind: 'count', groups: state.groups.map((g) => ({ ...g, rows: g.rows.map(plainRow) })) };
  }
}

function plainRow(row: WindowRow): WindowRow {
  const payload = row.ctx.payload;
  if (!(payload instanceof Uint8Array)) return row;
  return { ...row, ctx: { ...row.ctx, payload: utf8.decode(payload) } };
}

/** Whether a window state holds nothing (no checkpoint worth writing). */
export function isEmptyState(state: WindowState): boolean {
  switch (state.kind) {
    case 'time':
      return state.windows.length === 0;
    case 'sliding':
      return state.entries.length === 0 && state.triggers.length === 0;
    case 'session':
      return state.sessions.length === 0;
    case 'count':
      return state.groups.length === 0;
  }
}
