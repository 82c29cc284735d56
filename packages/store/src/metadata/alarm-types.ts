import type { Json, ProjectFilter, Revisioned } from './types.js';

/**
 * What the store keeps for the alarm engine (`@watershed/alarms`, issue 8): its rules, the state
 * of every alarm (so alarms survive a restart as active, acknowledged or shelved as they were)
 * and their history. The store checks only what it indexes; the alarm package owns the schemas
 * of the documents and validates them before they come here.
 */

/** An alarm rule as the alarm package defines it; `id`, `project`, `point` are copied out to filter on. */
export type AlarmRuleInput = { id: string; project: string; point: string } & { [key: string]: Json };
export type AlarmRuleRecord = AlarmRuleInput & Revisioned;

export interface AlarmRuleFilter extends ProjectFilter {
  point?: string;
}

/**
 * Alarm rules under optimistic concurrency, like sites: without `expectedRevision` `put` creates
 * (WS_ERR_STORE_DUPLICATE if the id exists), with it replaces at that revision.
 */
export interface AlarmRuleRepository {
  /** Ordered by id. */
  list(filter?: AlarmRuleFilter): Promise<AlarmRuleRecord[]>;
  get(id: string): Promise<AlarmRuleRecord | undefined>;
  put(input: AlarmRuleInput, expectedRevision?: number): Promise<AlarmRuleRecord>;
  /** NOT_FOUND if missing; a conflict when `expectedRevision` is stale. */
  delete(id: string, expectedRevision?: number): Promise<void>;
}

export interface AlarmStateRecord {
  /** The alarm's id (its rule's id). */
  id: string;
  project: string;
  point: string;
  /** The alarm package's AlarmState, stored as given. */
  state: Json;
  updatedAt: number;
}

export interface AlarmStateFilter extends ProjectFilter {
  point?: string;
}

/** The current state of each alarm: last write wins (the engine is the only writer). */
export interface AlarmStateRepository {
  /** Creates or replaces. */
  save(record: Omit<AlarmStateRecord, 'updatedAt'>): Promise<AlarmStateRecord>;
  get(id: string): Promise<AlarmStateRecord | undefined>;
  /** Ordered by id. */
  list(filter?: AlarmStateFilter): Promise<AlarmStateRecord[]>;
  /** Returns whether there was one. */
  delete(id: string): Promise<boolean>;
}

export interface AlarmHistoryInput {
  alarm: string;
  project: string;
  point: string;
  /** `raised`, `cleared`, `acknowledged` …: the event's kind. */
  kind: string;
  at: number;
  /** The whole event, stored as given. */
  event: Json;
}

export interface AlarmHistoryEntry extends AlarmHistoryInput {
  /** Strictly increasing in append order. */
  seq: number;
}

export interface AlarmHistoryQuery extends ProjectFilter {
  alarm?: string;
  point?: string;
  kind?: string;
  /** Inclusive bounds on `at`. */
  from?: number;
  to?: number;
  /** Page size, default 100, at most 1000. */
  limit?: number;
  /** `next` of the previous page. */
  cursor?: string;
}

export interface AlarmHistoryPage {
  /** Newest (highest seq) first. */
  entries: AlarmHistoryEntry[];
  next?: string;
}

/** Alarm history: appended by the engine, paged newest first, pruned by age. */
export interface AlarmHistoryRepository {
  append(entry: AlarmHistoryInput): Promise<AlarmHistoryEntry>;
  query(q?: AlarmHistoryQuery): Promise<AlarmHistoryPage>;
  /** Removes entries with `at` before `before`; returns how many. */
  prune(before: number): Promise<number>;
}

export interface AlarmRepositories {
  readonly rules: AlarmRuleRepository;
  readonly states: AlarmStateRepository;
  readonly history: AlarmHistoryRepository;
}
