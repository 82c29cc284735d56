import { silentLogger, type Clock, type Logger } from '@watershed/common';
import type { Sample, SampleValue } from '@watershed/model';
import { AlarmErrors } from './errors.js';
import { describeCondition, parseAlarmRule, type AlarmRule } from './rule.js';
import { AlarmRuntime, type RuntimeHost } from './runtime.js';
import {
  isaState,
  STATE_COMMENTS,
  type AlarmEvent,
  type AlarmEventKind,
  type AlarmState,
  type IsaState,
} from './state.js';

export interface AlarmEngineOptions {
  clock: Clock;
  logger?: Logger;
  /** States saved before a restart: alarms keep being active, acknowledged, shelved as they were. */
  states?: readonly AlarmState[];
  /** The longest an operator may shelve an alarm (ISA-18.2 §16.3.2: shelving is time-limited). Default 24 h. */
  maxShelveMs?: number;
}

export interface AlarmFilter {
  project?: string;
  severity?: AlarmState['severity'];
  state?: IsaState;
  /** Exact point id, or a site: alarms of points `site.*`. */
  point?: string;
  site?: string;
  /** Include normal alarms (cleared and acknowledged); default false: the operator's list. */
  includeNormal?: boolean;
}

export type AlarmListener = (event: AlarmEvent, state: AlarmState) => void;

const DAY = 24 * 3_600_000;

/**
 * Evaluates alarm rules on the samples of their points and keeps each alarm's ISA-18.2 state
 * (see state.ts). Synchronous and in memory: every change is reported to the listeners as an
 * AlarmEvent with the state it left, and persistence, notification and the live feed are
 * listeners. Time (delays, no-data, shelving expiry) comes from the injected Clock; `close`
 * cancels every timer.
 */
export class AlarmEngine {
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #maxShelveMs: number;
  readonly #byId = new Map<string, AlarmRuntime>();
  readonly #byPoint = new Map<string, Set<AlarmRuntime>>();
  readonly #restored = new Map<string, AlarmState>();
  readonly #listeners = new Set<AlarmListener>();
  readonly #host: RuntimeHost;
  #closed = false;

  constructor(opts: AlarmEngineOptions) {
    this.#clock = opts.clock;
    this.#log = opts.logger ?? silentLogger();
    this.#maxShelveMs = opts.maxShelveMs ?? DAY;
    for (const s of opts.states ?? []) this.#restored.set(s.id, s);
    this.#host = {
      clock: this.#clock,
      activate: (rt, value) => this.#raise(rt, value),
      clear: (rt, value) => this.#clear(rt, value),
    };
  }

  /** Calls `listener` with every event from now on; returns the unsubscribe function. */
  subscribe(listener: AlarmListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Installs or replaces a rule. A disabled rule is removed (its alarm with it). */
  upsertRule(input: AlarmRule): void {
    const rule = parseAlarmRule(input);
    const old = this.#byId.get(rule.id);
    if (!rule.enabled) {
      if (old) this.removeRule(rule.id);
      return;
    }
    const prior = old?.state ?? this.#restored.get(rule.id);
    this.#restored.delete(rule.id);
    if (old) this.#detach(old);
    const state: AlarmState = prior
      ? {
          ...prior,
          project: rule.project,
          point: rule.point,
          name: rule.name,
          severity: rule.severity,
          message: messageOf(rule),
        }
      : {
          id: rule.id,
          project: rule.project,
          point: rule.point,
          name: rule.name,
          severity: rule.severity,
          message: messageOf(rule),
          active: false,
          acknowledged: true,
          changedAt: this.#clock.now(),
          comments: [],
        };
    const rt = new AlarmRuntime(rule, state, this.#host);
    this.#byId.set(rule.id, rt);
    let set = this.#byPoint.get(rule.point);
    if (!set) this.#byPoint.set(rule.point, (set = new Set()));
    set.add(rt);
    if (state.shelved) this.#armShelve(rt);
    if (!state.outOfService) rt.start();
  }

  /** Replaces the whole rule set: rules not in `rules` are removed. */
  setRules(rules: readonly AlarmRule[]): void {
    const keep = new Set(rules.map((r) => r.id));
    for (const id of [...this.#byId.keys()]) if (!keep.has(id)) this.removeRule(id);
    for (const r of rules) this.upsertRule(r);
  }

  /** Removes a rule and its alarm; reported as a `deleted` event so the history says why it went. */
  removeRule(id: string): void {
    const rt = this.#byId.get(id);
    if (!rt) return;
    this.#detach(rt);
    this.#byId.delete(id);
    rt.state = { ...rt.state, active: false, acknowledged: true, changedAt: this.#clock.now() };
    this.#emit(rt, 'deleted', {});
  }

  /**
   * Forgets restored states whose rule was not installed (deleted while the server was down);
   * returns their ids so the caller can remove them from the store.
   */
  dropUnmatchedStates(): string[] {
    const ids = [...this.#restored.keys()];
    this.#restored.clear();
    return ids;
  }

  rules(): AlarmRule[] {
    return [...this.#byId.values()].map((rt) => rt.rule);
  }

  /** Feeds one sample of a point to every rule on it. */
  ingest(point: string, sample: Sample): void {
    if (this.#closed) return;
    const set = this.#byPoint.get(point);
    if (!set) return;
    for (const rt of set) rt.ingest(sample);
  }

  get(id: string): AlarmState | undefined {
    return this.#byId.get(id)?.state;
  }

  /** Alarms matching `filter`, most severe first, then newest change first. */
  list(filter: AlarmFilter = {}): AlarmState[] {
    const out: AlarmState[] = [];
    for (const { state: s } of this.#byId.values()) {
      const st = isaState(s);
      if (!filter.includeNormal && st === 'normal') continue;
      if (filter.project !== undefined && s.project !== filter.project) continue;
      if (filter.severity !== undefined && s.severity !== filter.severity) continue;
      if (filter.state !== undefined && st !== filter.state) continue;
      if (filter.point !== undefined && s.point !== filter.point) continue;
      if (filter.site !== undefined && !s.point.startsWith(`${filter.site}.`)) continue;
      out.push(s);
    }
    return out.sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.changedAt - a.changedAt);
  }

  /**
   * Acknowledges an unacknowledged alarm, active (→ ack-active) or already cleared (→ normal).
   * WS_ERR_ALARM_NOTHING_TO_ACK when there is nothing to acknowledge.
   */
  ack(id: string, by: string, comment?: string): AlarmState {
    const rt = this.#runtime(id);
    if (rt.state.acknowledged) throw AlarmErrors.NOTHING_TO_ACK.create([id]);
    const now = this.#clock.now();
    rt.state = { ...rt.state, acknowledged: true, acknowledgedAt: now, acknowledgedBy: by, changedAt: now };
    if (comment) rt.state = withComment(rt.state, { at: now, by, text: comment });
    this.#emit(rt, 'acknowledged', { by, comment });
    return rt.state;
  }

  /** Shelves an alarm until `until` (ms epoch, within maxShelveMs); it unshelves itself then. */
  shelve(id: string, by: string, until: number, reason?: string): AlarmState {
    const rt = this.#runtime(id);
    const now = this.#clock.now();
    if (!(until > now && until - now <= this.#maxShelveMs)) {
      throw AlarmErrors.SHELVE_EXPIRY.create([id, this.#maxShelveMs]);
    }
    rt.state = {
      ...rt.state,
      shelved: { by, at: now, until, ...(reason ? { reason } : {}) },
      changedAt: now,
    };
    if (reason) rt.state = withComment(rt.state, { at: now, by, text: reason });
    this.#armShelve(rt);
    this.#emit(rt, 'shelved', { by, until, comment: reason });
    return rt.state;
  }

  /** Ends a shelving early. WS_ERR_ALARM_NOT_SHELVED if it is not shelved. */
  unshelve(id: string, by: string): AlarmState {
    const rt = this.#runtime(id);
    if (!rt.state.shelved) throw AlarmErrors.NOT_SHELVED.create([id]);
    this.#unshelve(rt, by);
    return rt.state;
  }

  comment(id: string, by: string, text: string): AlarmState {
    const rt = this.#runtime(id);
    const now = this.#clock.now();
    rt.state = withComment({ ...rt.state, changedAt: now }, { at: now, by, text });
    this.#emit(rt, 'commented', { by, comment: text });
    return rt.state;
  }

  /**
   * Takes an alarm out of service (maintenance, a broken instrument: ISA-18.2 §16.4) or back.
   * Out of service it is not evaluated and is cleared; back in service it starts afresh.
   */
  setOutOfService(id: string, by: string, outOfService: boolean, reason?: string): AlarmState {
    const rt = this.#runtime(id);
    const now = this.#clock.now();
    if (outOfService === Boolean(rt.state.outOfService)) return rt.state;
    if (outOfService) {
      rt.pause();
      rt.state = {
        ...rt.state,
        active: false,
        acknowledged: true,
        outOfService: { by, at: now, ...(reason ? { reason } : {}) },
        changedAt: now,
      };
      this.#emit(rt, 'removed-from-service', { by, comment: reason });
    } else {
      const { outOfService: _gone, ...rest } = rt.state;
      rt.state = { ...rest, changedAt: now };
      rt.reset();
      this.#emit(rt, 'returned-to-service', { by, comment: reason });
    }
    return rt.state;
  }

  /** Cancels every timer; later calls to `ingest` do nothing. */
  close(): void {
    this.#closed = true;
    for (const rt of this.#byId.values()) rt.stop();
    this.#listeners.clear();
  }

  #runtime(id: string): AlarmRuntime {
    const rt = this.#byId.get(id);
    if (!rt) throw AlarmErrors.UNKNOWN.create([id]);
    return rt;
  }

  #detach(rt: AlarmRuntime): void {
    rt.stop();
    const set = this.#byPoint.get(rt.rule.point);
    set?.delete(rt);
    if (set?.size === 0) this.#byPoint.delete(rt.rule.point);
  }

  /** Normal or cleared → active, unacknowledged (figure 5 transitions A and from D back to B). */
  #raise(rt: AlarmRuntime, value: SampleValue | undefined): void {
    const now = this.#clock.now();
    const { clearedAt: _c, acknowledgedAt: _a, acknowledgedBy: _b, ...rest } = rt.state;
    rt.state = {
      ...rest,
      active: true,
      acknowledged: false,
      raisedAt: now,
      changedAt: now,
      ...valueOf(value),
    };
    this.#emit(rt, 'raised', {});
  }

  /** Active → cleared: unacknowledged stays waiting for the operator, acknowledged is normal. */
  #clear(rt: AlarmRuntime, value: SampleValue | undefined): void {
    const now = this.#clock.now();
    rt.state = { ...rt.state, active: false, clearedAt: now, changedAt: now, ...valueOf(value) };
    this.#emit(rt, 'cleared', {});
  }

  #armShelve(rt: AlarmRuntime): void {
    if (rt.shelveTimer) this.#clock.clearTimeout(rt.shelveTimer);
    const until = rt.state.shelved!.until;
    rt.shelveTimer = this.#clock.setTimeout(
      () => {
        rt.shelveTimer = undefined;
        this.#unshelve(rt, 'system:shelve-expired');
      },
      Math.max(0, until - this.#clock.now()),
    );
    rt.shelveTimer.unref?.();
  }

  #unshelve(rt: AlarmRuntime, by: string): void {
    if (rt.shelveTimer) this.#clock.clearTimeout(rt.shelveTimer);
    rt.shelveTimer = undefined;
    const { shelved: _s, ...rest } = rt.state;
    rt.state = { ...rest, changedAt: this.#clock.now() };
    // Back on the list in whatever state the process put it meanwhile; announced if still unacknowledged.
    this.#emit(rt, 'unshelved', { by });
  }

  #emit(
    rt: AlarmRuntime,
    kind: AlarmEventKind,
    extra: { by?: string; comment?: string | undefined; until?: number },
  ): void {
    const s = rt.state;
    const state = isaState(s);
    const event: AlarmEvent = {
      alarm: s.id,
      project: s.project,
      point: s.point,
      kind,
      at: this.#clock.now(),
      severity: s.severity,
      state,
      ...(s.value !== undefined ? { value: s.value } : {}),
      ...(extra.by !== undefined ? { by: extra.by } : {}),
      ...(extra.comment ? { comment: extra.comment } : {}),
      ...(extra.until !== undefined ? { until: extra.until } : {}),
      // Nobody is called about a comment, or about a shelving that ends on an alarm long since normal.
      announce:
        !s.shelved &&
        !s.outOfService &&
        kind !== 'commented' &&
        !(kind === 'unshelved' && state === 'normal'),
    };
    for (const l of this.#listeners) {
      try {
        l(event, s);
      } catch (err) {
        this.#log.error({ err, alarm: s.id, kind }, 'alarm listener failed');
      }
    }
  }
}

const RANK: Record<AlarmState['severity'], number> = { critical: 0, major: 1, minor: 2, warning: 3 };

function messageOf(rule: AlarmRule): string {
  return rule.message ?? `${rule.name}: ${describeCondition(rule.condition)}`;
}

function valueOf(value: SampleValue | undefined): { value?: SampleValue } {
  return value === undefined ? {} : { value };
}

function withComment(s: AlarmState, c: AlarmState['comments'][number]): AlarmState {
  return { ...s, comments: [...s.comments, c].slice(-STATE_COMMENTS) };
}
