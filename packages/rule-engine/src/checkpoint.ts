import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { WindowRow } from '@watershed/rule-sql';
import { RuleEngineErrors } from './errors.js';
import type { EventTimeOptions } from './event-time.js';
import type { KeyedRows, WindowState } from './windows/index.js';

/** The checkpoint format this engine writes and reads; other versions are ignored, not guessed at. */
export const CHECKPOINT_VERSION = 2;

/**
 * A rule's state that outlives a restart: open windows (partial aggregates per group, or rows for
 * rules whose aggregates cannot save a state; session, sliding and count bookkeeping; the
 * event-time watermark) and analytic-function history (`lag`, `had_changed`, `latest`).
 */
export interface RuleCheckpoint {
  readonly version: typeof CHECKPOINT_VERSION;
  /**
   * {@link ruleHash} of the SQL (and event-time settings) that produced the state: after an edit
   * the aggregates may mean something else, so a mismatching checkpoint starts the rule fresh.
   */
  readonly sqlHash: string;
  /** Clock time (ms) of the snapshot. */
  readonly savedAt: number;
  /** JSON-safe: payload bytes are stored as text. */
  readonly windows?: WindowState;
  /** `CompiledRule.saveAnalytics()` output. */
  readonly analytics?: readonly unknown[];
}

/** Where checkpoints live (a directory, SQLite, a KV bucket). */
export interface CheckpointStore {
  /** Undefined when there is none; throws when one exists but cannot be read or parsed. */
  load(ruleId: string): Promise<RuleCheckpoint | undefined>;
  save(ruleId: string, checkpoint: RuleCheckpoint): Promise<void>;
  delete(ruleId: string): Promise<void>;
}

/** The identity of a rule's state: SQL text plus event-time settings. */
export function ruleHash(sql: string, eventTime?: EventTimeOptions): string {
  return createHash('sha256')
    .update(sql)
    .update('\0')
    .update(JSON.stringify(eventTime ?? null))
    .digest('hex');
}

/** Checkpoints in memory, stored as JSON text so tests prove they survive serialization. */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly #data = new Map<string, string>();

  load(ruleId: string): Promise<RuleCheckpoint | undefined> {
    const text = this.#data.get(ruleId);
    return Promise.resolve(text === undefined ? undefined : parseCheckpoint(ruleId, text));
  }

  save(ruleId: string, checkpoint: RuleCheckpoint): Promise<void> {
    this.#data.set(ruleId, JSON.stringify(checkpoint));
    return Promise.resolve();
  }

  delete(ruleId: string): Promise<void> {
    this.#data.delete(ruleId);
    return Promise.resolve();
  }

  /** Replaces a stored checkpoint with raw text (tests of corrupt checkpoints). */
  putRaw(ruleId: string, text: string): void {
    this.#data.set(ruleId, text);
  }

  get size(): number {
    return this.#data.size;
  }
}

// The shape is checked before any of it reaches a window: a truncated or hand-edited file must
// be refused whole, not half-applied. Aggregate states are checked by rule-sql when merged.
const Row = Type.Object({
  key: Type.String(),
  keyValues: Type.Array(Type.Unknown()),
  ctx: Type.Record(Type.String(), Type.Unknown()),
  values: Type.Array(Type.Unknown()),
});
const GroupSnapshot = Type.Object({
  n: Type.Integer({ minimum: 0 }),
  aggs: Type.Array(Type.Unknown()),
  last: Type.Optional(Row),
  rows: Type.Optional(Type.Array(Row)),
});
const Keyed = {
  key: Type.String(),
  rows: Type.Optional(Type.Array(Row)),
  state: Type.Optional(GroupSnapshot),
};
const Windows = Type.Union([
  Type.Object({
    kind: Type.Literal('time'),
    windows: Type.Array(Type.Object({ start: Type.Number(), groups: Type.Array(Type.Object(Keyed)) })),
    watermark: Type.Optional(Type.Number()),
  }),
  Type.Object({
    kind: Type.Literal('sliding'),
    entries: Type.Array(Type.Object({ at: Type.Number(), row: Row })),
    triggers: Type.Array(Type.Object({ key: Type.String(), at: Type.Number() })),
  }),
  Type.Object({
    kind: Type.Literal('session'),
    sessions: Type.Array(Type.Object({ ...Keyed, start: Type.Number(), last: Type.Number() })),
  }),
  Type.Object({
    kind: Type.Literal('count'),
    groups: Type.Array(Type.Object({ key: Type.String(), seq: Type.Integer(), rows: Type.Array(Row) })),
  }),
]);
const Checkpoint = Type.Object({
  version: Type.Literal(CHECKPOINT_VERSION),
  sqlHash: Type.String(),
  savedAt: Type.Number(),
  windows: Type.Optional(Windows),
  analytics: Type.Optional(Type.Array(Type.Unknown())),
});
const checkCheckpoint = Compile(Checkpoint);

/**
 * Parses checkpoint text. Throws WS_ERR_RULE_CHECKPOINT_INCOMPATIBLE for another format version
 * and WS_ERR_RULE_CHECKPOINT_CORRUPT for anything else that is not a valid checkpoint.
 */
export function parseCheckpoint(ruleId: string, text: string): RuleCheckpoint {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw RuleEngineErrors.CHECKPOINT_CORRUPT.create([ruleId, (err as Error).message]);
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== CHECKPOINT_VERSION) {
    throw RuleEngineErrors.CHECKPOINT_INCOMPATIBLE.create([ruleId, String(version), CHECKPOINT_VERSION]);
  }
  if (!checkCheckpoint.Check(data)) {
    const first = checkCheckpoint.Errors(data)[0];
    const where = first ? `${first.instancePath || '/'} ${first.message}` : 'invalid shape';
    throw RuleEngineErrors.CHECKPOINT_CORRUPT.create([ruleId, where]);
  }
  return data;
}

const utf8 = new TextDecoder();

/** Makes a window state JSON-safe: message payload bytes become text (rule-sql accepts both). */
export function plainState(state: WindowState): WindowState {
  switch (state.kind) {
    case 'time':
      return {
        ...state,
        windows: state.windows.map((w) => ({ start: w.start, groups: w.groups.map(plainKeyed) })),
      };
    case 'sliding':
      return {
        kind: 'sliding',
        entries: state.entries.map((e) => ({ at: e.at, row: plainRow(e.row) })),
        triggers: state.triggers,
      };
    case 'session':
      return { kind: 'session', sessions: state.sessions.map((s) => ({ ...s, ...plainKeyed(s) })) };
    case 'count':
      return { kind: 'count', groups: state.groups.map((g) => ({ ...g, rows: g.rows.map(plainRow) })) };
  }
}

function plainKeyed(g: KeyedRows): KeyedRows {
  const s = g.state;
  return {
    key: g.key,
    ...(g.rows ? { rows: g.rows.map(plainRow) } : {}),
    ...(s
      ? {
          state: {
            n: s.n,
            aggs: s.aggs,
            ...(s.last ? { last: plainRow(s.last) } : {}),
            ...(s.rows ? { rows: s.rows.map(plainRow) } : {}),
          },
        }
      : {}),
  };
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
      return state.windows.length === 0 && state.watermark === undefined;
    case 'sliding':
      return state.entries.length === 0 && state.triggers.length === 0;
    case 'session':
      return state.sessions.length === 0;
    case 'count':
      return state.groups.length === 0;
  }
}
