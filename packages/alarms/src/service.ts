import { Compile } from 'typebox/compile';
import { silentLogger, type Clock, type Logger } from '@watershed/common';
import type { Sample } from '@watershed/model';
import type {
  AlarmHistoryPage,
  AlarmHistoryQuery,
  AlarmRepositories,
  AlarmRuleFilter,
  AlarmRuleRecord,
} from '@watershed/store';
import { AlarmEngine, type AlarmFilter, type AlarmListener } from './engine.js';
import { applyRuleSet, type ApplyRuleSetOptions, type RuleSet } from './gb5749.js';
import { parseAlarmRule, type AlarmRule } from './rule.js';
import { AlarmState, type AlarmEvent } from './state.js';

export interface AlarmServiceOptions {
  /** `store.metadata.alarms`. */
  repositories: AlarmRepositories;
  clock: Clock;
  logger?: Logger;
  maxShelveMs?: number;
}

/** A stored rule: the rule and its revision for optimistic concurrency. */
export interface StoredAlarmRule {
  rule: AlarmRule;
  revision: number;
  createdAt: number;
  updatedAt: number;
}

export interface PersistStats {
  written: number;
  failed: number;
}

const checkState = Compile(AlarmState);

/**
 * The alarm engine bound to the store: rules are loaded from and saved to it, and every state
 * change is written (the state row and a history entry) in the order the engine reported it, so
 * after a restart each alarm is active, acknowledged or shelved as it was. Operator actions
 * return once their change is stored. `close` stops the engine and waits for pending writes.
 */
export class AlarmService {
  readonly engine: AlarmEngine;
  readonly #repos: AlarmRepositories;
  readonly #log: Logger;
  readonly #stats: PersistStats = { written: 0, failed: 0 };
  #tail: Promise<void> = Promise.resolve();

  private constructor(engine: AlarmEngine, repos: AlarmRepositories, log: Logger) {
    this.engine = engine;
    this.#repos = repos;
    this.#log = log;
    engine.subscribe((event, state) => this.#persist(event, state));
  }

  /** Loads the stored rules and states and starts evaluating. */
  static async open(opts: AlarmServiceOptions): Promise<AlarmService> {
    const log = opts.logger ?? silentLogger();
    const states: AlarmState[] = [];
    const stored = await opts.repositories.states.list();
    for (const rec of stored) {
      if (checkState.Check(rec.state)) states.push(rec.state);
      else log.warn({ alarm: rec.id }, 'stored alarm state does not match the schema; starting it afresh');
    }
    const engine = new AlarmEngine({
      clock: opts.clock,
      logger: log,
      states,
      ...(opts.maxShelveMs !== undefined ? { maxShelveMs: opts.maxShelveMs } : {}),
    });
    const service = new AlarmService(engine, opts.repositories, log);
    for (const rec of await opts.repositories.rules.list()) {
      try {
        engine.upsertRule(toStored(rec).rule);
      } catch (err) {
        log.error({ err, rule: rec.id }, 'stored alarm rule is invalid; not evaluated');
      }
    }
    engine.dropUnmatchedStates();
    for (const rec of stored) {
      if (engine.get(rec.id)) continue;
      // Its rule was deleted while the server was down, or is invalid: nothing will update it.
      log.info({ alarm: rec.id }, 'alarm state without a rule removed');
      await opts.repositories.states.delete(rec.id);
    }
    return service;
  }

  subscribe(listener: AlarmListener): () => void {
    return this.engine.subscribe(listener);
  }

  ingest(point: string, sample: Sample): void {
    this.engine.ingest(point, sample);
  }

  /** Rows as the ingest and the live feed carry them. */
  ingestRows(rows: readonly (Sample & { point: string })[]): void {
    for (const r of rows) this.engine.ingest(r.point, r);
  }

  // ------------------------------------------------------------ rules

  async listRules(filter: AlarmRuleFilter = {}): Promise<StoredAlarmRule[]> {
    return (await this.#repos.rules.list(filter)).map(toStored);
  }

  async getRule(id: string): Promise<StoredAlarmRule | undefined> {
    const rec = await this.#repos.rules.get(id);
    return rec && toStored(rec);
  }

  /** Creates (no `expectedRevision`) or replaces a rule, then evaluates it. */
  async putRule(input: AlarmRule, expectedRevision?: number): Promise<StoredAlarmRule> {
    const rule = parseAlarmRule(input);
    const stored = toStored(await this.#repos.rules.put(rule, expectedRevision));
    this.engine.upsertRule(stored.rule);
    await this.flush();
    return stored;
  }

  async deleteRule(id: string, expectedRevision?: number): Promise<void> {
    await this.#repos.rules.delete(id, expectedRevision);
    this.engine.removeRule(id);
    await this.flush();
  }

  /**
   * Creates the rule set's rules for the mapped points, or replaces those created before (same
   * ids), so loading twice does not duplicate. With `keepExisting` a rule that exists already is
   * left as it is (an engineer may have tuned it): how a server seeds the set at every start.
   */
  async loadRuleSet(
    set: RuleSet,
    opts: ApplyRuleSetOptions & { keepExisting?: boolean },
  ): Promise<{ created: string[]; updated: string[]; kept: string[] }> {
    const result = { created: [] as string[], updated: [] as string[], kept: [] as string[] };
    for (const rule of applyRuleSet(set, opts)) {
      const current = await this.#repos.rules.get(rule.id);
      if (current && opts.keepExisting) {
        result.kept.push(rule.id);
        continue;
      }
      await this.putRule(rule, current?.revision);
      (current ? result.updated : result.created).push(rule.id);
    }
    return result;
  }

  // ------------------------------------------------------------ alarms

  list(filter?: AlarmFilter): AlarmState[] {
    return this.engine.list(filter);
  }

  get(id: string): AlarmState | undefined {
    return this.engine.get(id);
  }

  async ack(id: string, by: string, comment?: string): Promise<AlarmState> {
    const s = this.engine.ack(id, by, comment);
    await this.flush();
    return s;
  }

  async shelve(id: string, by: string, until: number, reason?: string): Promise<AlarmState> {
    const s = this.engine.shelve(id, by, until, reason);
    await this.flush();
    return s;
  }

  async unshelve(id: string, by: string): Promise<AlarmState> {
    const s = this.engine.unshelve(id, by);
    await this.flush();
    return s;
  }

  async comment(id: string, by: string, text: string): Promise<AlarmState> {
    const s = this.engine.comment(id, by, text);
    await this.flush();
    return s;
  }

  async setOutOfService(id: string, by: string, outOfService: boolean, reason?: string): Promise<AlarmState> {
    const s = this.engine.setOutOfService(id, by, outOfService, reason);
    await this.flush();
    return s;
  }

  async history(q: AlarmHistoryQuery = {}): Promise<AlarmHistoryPage> {
    return this.#repos.history.query(q);
  }

  persistStats(): PersistStats {
    return { ...this.#stats };
  }

  /** Resolves when every change reported so far is stored (or failed and was logged). */
  async flush(): Promise<void> {
    await this.#tail;
  }

  async close(): Promise<void> {
    this.engine.close();
    await this.flush();
  }

  /** Writes in report order: one chain, so a later state never lands before an earlier one. */
  #persist(event: AlarmEvent, state: AlarmState): void {
    this.#tail = this.#tail.then(async () => {
      try {
        if (event.kind === 'deleted') await this.#repos.states.delete(state.id);
        else {
          await this.#repos.states.save({
            id: state.id,
            project: state.project,
            point: state.point,
            state: state,
          });
        }
        await this.#repos.history.append({
          alarm: event.alarm,
          project: event.project,
          point: event.point,
          kind: event.kind,
          at: event.at,
          event: event,
        });
        this.#stats.written++;
      } catch (err) {
        this.#stats.failed++;
        this.#log.error({ err, alarm: event.alarm, kind: event.kind }, 'alarm change not stored');
      }
    });
  }
}

function toStored(rec: AlarmRuleRecord): StoredAlarmRule {
  const { revision, createdAt, updatedAt, ...rule } = rec;
  return { rule: parseAlarmRule(rule), revision, createdAt, updatedAt };
}
