import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Errors, formatIssues, type ConfigIssue, type Registry } from '@watershed/common';
import type {
  FileSinkSpec,
  SinkInfo,
  SinkProblem,
  SinkRuntime,
  SinkSpec,
  SinkTestResult,
  SinkTypeSpec,
} from '@watershed/console-api';
import {
  SinkRegistry,
  checkSinkConfig,
  createSink,
  registerSinkMetrics,
  type Sink,
  type SinkDeps,
  type SinkHealth,
  type SinkMetrics,
  type SinkType,
} from '@watershed/sink-core';
import type { SinkDefinitionRepository } from '@watershed/store';
import { SinkRuntimeErrors } from './errors.js';
import { probeSink } from './probe.js';
import { SinkSlot } from './sink-slot.js';

export interface ServerSinkRuntimeOptions {
  /** The server's sink types (`serverSinkTypes`): the one list. */
  readonly types: readonly SinkType<never>[];
  /** Clock, logger, data directory (disk queues under `dataDir/sinks/`) and alarm callback. */
  readonly deps: SinkDeps;
  /** Where sinks made through the console are kept (`store.metadata.sinks`). */
  readonly definitions: SinkDefinitionRepository;
  /** Registers `watershed_sink_*` for the running sinks. */
  readonly metrics?: Registry;
  /** Ids the API may not take: the server's built-in sinks (`store`), which rules also name. */
  readonly reservedIds?: readonly string[];
}

/**
 * The server's sinks, changeable while it runs (issue 5): those of the config file (fixed,
 * read-only) and those made through the console (kept in the metadata store, started at boot
 * and changed by the sinks routes through {@link SinkRuntime}). The rule engine reaches them
 * through `forRules`, whose entries stay valid across edits (see SinkSlot).
 *
 * Lifecycle: `start` creates the file sinks and the stored enabled ones; `close` drains and
 * closes them all, each keeping what it could not send on disk for the next start.
 */
export class ServerSinkRuntime implements SinkRuntime {
  readonly #registry: SinkRegistry;
  readonly #types: ReadonlyMap<string, SinkType<never>>;
  readonly #deps: SinkDeps;
  readonly #definitions: SinkDefinitionRepository;
  readonly #slots = new Map<string, SinkSlot>();
  /** What each slot was last told to run: the fallback when a replacement cannot be created. */
  readonly #specs = new Map<string, SinkSpec>();
  readonly #file = new Map<string, FileSinkSpec>();
  /** Per id, the tail of the changes queued for it: changes to one sink never overlap. */
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #reserved: ReadonlySet<string>;
  #closing: Promise<void> | undefined;

  /** Where `sink` rule actions look sinks up (rule-engine SinkRegistry). */
  readonly forRules = { get: (id: string): SinkSlot | undefined => this.#slots.get(id) };

  private constructor(opts: ServerSinkRuntimeOptions) {
    this.#registry = new SinkRegistry();
    for (const t of opts.types) this.#registry.register(t);
    this.#types = new Map(opts.types.map((t) => [t.type, t]));
    this.#deps = opts.deps;
    this.#definitions = opts.definitions;
    this.#reserved = new Set(opts.reservedIds ?? []);
    if (opts.metrics) registerSinkMetrics(opts.metrics, () => this.#running());
  }

  /**
   * Checks the config file's sinks (throwing WS_ERR_CONFIG_INVALID naming every bad path, as
   * the config check does) and starts them, then the enabled sinks of the store. A stored sink
   * that no longer validates, or whose id the file now uses, is logged and left stopped: one bad
   * definition does not keep the server from starting.
   */
  static async start(
    opts: ServerSinkRuntimeOptions,
    fileConfigs: readonly unknown[],
  ): Promise<ServerSinkRuntime> {
    const rt = new ServerSinkRuntime(opts);
    try {
      rt.#startFile(fileConfigs);
      await rt.#startStored();
    } catch (err) {
      await rt.close();
      throw err;
    }
    return rt;
  }

  // ------------------------------------------------------------------ SinkRuntime

  list(): SinkInfo[] {
    return [...this.#slots.keys()]
      .sort()
      .map((id) => this.get(id))
      .filter((s): s is SinkInfo => s !== undefined);
  }

  get(id: string): SinkInfo | undefined {
    const slot = this.#slots.get(id);
    const sink = slot?.sink;
    if (!slot || !sink) return undefined;
    const h = sink.health();
    return {
      id,
      type: sink.type,
      health: {
        state: h.state,
        alarm: h.alarm,
        failures: h.failures,
        ...(h.detail !== undefined && { detail: h.detail }),
        ...(h.lastError !== undefined && { lastError: h.lastError }),
      },
      metrics: { ...slot.metrics()! },
    };
  }

  types(): SinkTypeSpec[] {
    return this.#registry
      .types()
      .map((t) => ({ type: t.type, description: t.description, schema: t.schema }));
  }

  fileSinks(): FileSinkSpec[] {
    return [...this.#file.values()];
  }

  validate(spec: SinkSpec): SinkProblem[] {
    const problems = this.#check(spec).problems;
    if (!this.#reserved.has(spec.id)) return problems;
    return [
      { path: '/id', message: `an id other than ${[...this.#reserved].join(', ')} (built into the server)` },
      ...problems,
    ];
  }

  apply(spec: SinkSpec): Promise<void> {
    return this.#serial(spec.id, async () => {
      if (this.#closing) throw Errors.CLOSED.create(['the sink runtime']);
      if (this.#file.has(spec.id)) throw SinkRuntimeErrors.SHADOWED.create([spec.id]);
      const config = this.#valid(spec);
      const prev = this.#specs.get(spec.id);
      const slot = this.#slot(spec.id);
      await slot.switchTo(
        () => (spec.enabled ? this.#create(spec.type, config) : undefined),
        () => (prev?.enabled ? this.#create(prev.type, this.#valid(prev)) : undefined),
      );
      this.#specs.set(spec.id, spec);
      this.#deps.logger.info(
        { sink: spec.id, sinkType: spec.type, enabled: spec.enabled },
        prev ? 'sink changed' : 'sink created',
      );
    });
  }

  remove(id: string): Promise<{ discarded: number }> {
    return this.#serial(id, async () => {
      const slot = this.#slots.get(id);
      if (!slot || this.#file.has(id)) return { discarded: 0 };
      const last = await slot.delete();
      this.#slots.delete(id);
      this.#specs.delete(id);
      // What the sink could not send went to its disk queue on close; a deleted sink's rows are
      // not handed to a later sink that happens to take the same id.
      const file = join(this.#deps.dataDir, 'sinks', `${id}.db`);
      await Promise.all(['', '-wal', '-shm'].map((ext) => rm(file + ext, { force: true })));
      const discarded = last ? last.queued + last.inflight : 0;
      const log = this.#deps.logger;
      if (discarded > 0)
        log.warn({ sink: id, rows: discarded }, 'sink deleted; its unsent rows were discarded');
      else log.info({ sink: id }, 'sink deleted');
      return { discarded };
    });
  }

  async test(spec: Omit<SinkSpec, 'enabled'>, timeoutMs: number): Promise<SinkTestResult> {
    const { problems, config } = this.#check({ ...spec, enabled: true });
    if (problems.length > 0) {
      return { ok: false, ms: 0, detail: problems.map((p) => `${p.path}: ${p.message}`).join('; ') };
    }
    const deps = { ...this.#deps, logger: this.#deps.logger.child({ sink: spec.id, test: true }) };
    return probeSink(this.#types.get(spec.type)!, config, deps, timeoutMs);
  }

  // ------------------------------------------------------------------ the server's own use

  /** Health of each running sink, for /healthz. */
  health(): Record<string, SinkHealth> {
    return Object.fromEntries(this.#running().map((s) => [s.id, s.health()]));
  }

  /** Row counters of each running sink. */
  metrics(): Record<string, SinkMetrics> {
    return Object.fromEntries(
      [...this.#slots].filter(([, s]) => s.sink).map(([id, s]) => [id, s.metrics()!]),
    );
  }

  /** Drains and closes every sink in parallel (each within its closeTimeoutMs); idempotent. */
  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      const slots = [...this.#slots.values()];
      await Promise.allSettled(slots.map((s) => this.#serial(s.id, () => s.switchTo(() => undefined))));
    })());
  }

  // ------------------------------------------------------------------ internals

  #startFile(configs: readonly unknown[]): void {
    const issues = this.#registry.check(configs, 'sinks');
    if (issues.length > 0) throw Errors.CONFIG_INVALID.create(['sinks', formatIssues(issues)], { issues });
    for (const raw of configs) {
      const { id, type, ...config } = raw as { id: string; type: string } & Record<string, unknown>;
      this.#file.set(id, { id, type, config });
      const spec: SinkSpec = { id, type, enabled: true, config };
      this.#specs.set(id, spec);
      this.#slots.set(id, new SinkSlot(id, this.#create(type, this.#valid(spec))));
    }
  }

  async #startStored(): Promise<void> {
    const log = this.#deps.logger;
    for (const rec of await this.#definitions.list()) {
      const spec: SinkSpec = { id: rec.id, type: rec.type, enabled: rec.enabled, config: rec.config };
      if (this.#file.has(rec.id)) {
        log.error({ sink: rec.id }, SinkRuntimeErrors.SHADOWED.create([rec.id]).message);
        continue;
      }
      const { problems, config } = this.#check(spec);
      let sink: Sink | undefined;
      if (spec.enabled && problems.length > 0) {
        const detail = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
        log.error({ sink: rec.id, problems }, `stored sink not started: ${detail}`);
      } else if (spec.enabled) {
        try {
          sink = this.#create(spec.type, config);
        } catch (err) {
          log.error({ sink: rec.id, err: (err as Error).message }, 'stored sink not started');
        }
      }
      this.#specs.set(rec.id, spec);
      this.#slots.set(rec.id, new SinkSlot(rec.id, sink));
    }
  }

  #slot(id: string): SinkSlot {
    let slot = this.#slots.get(id);
    if (!slot) this.#slots.set(id, (slot = new SinkSlot(id, undefined)));
    return slot;
  }

  #create(type: string, config: Record<string, unknown>): Sink {
    const sinkType = this.#types.get(type) as SinkType<Record<string, unknown>>;
    return createSink(sinkType, config as { id: string }, this.#deps);
  }

  /** The full config (defaults filled) or WS_ERR_CONFIG_INVALID listing every problem. */
  #valid(spec: SinkSpec): Record<string, unknown> {
    const { problems, config, issues } = this.#check(spec);
    if (problems.length > 0)
      throw Errors.CONFIG_INVALID.create([`sink ${spec.id}`, formatIssues(issues)], { issues });
    return config;
  }

  #check(spec: SinkSpec): {
    problems: SinkProblem[];
    issues: ConfigIssue[];
    config: Record<string, unknown>;
  } {
    const sinkType = this.#types.get(spec.type);
    if (!sinkType) {
      const known = [...this.#types.keys()].join(', ');
      const issue = { path: 'type', value: spec.type, expected: `a sink type (one of: ${known})` };
      return { problems: [toProblem(issue)], issues: [issue], config: {} };
    }
    // id and type are the definition's own, not config fields a form could override.
    const own = Object.keys(spec.config).filter((k) => k === 'id' || k === 'type');
    const owned: ConfigIssue[] = own.map((k) => ({
      path: k,
      value: spec.config[k],
      expected: `no ${k} in config (it is the sink's own ${k})`,
    }));
    const r = checkSinkConfig(sinkType, { ...spec.config, id: spec.id, type: spec.type });
    const issues = [...owned, ...r.issues];
    return { problems: issues.map(toProblem), issues, config: r.value };
  }

  #running(): Sink[] {
    return [...this.#slots.values()].map((s) => s.sink).filter((s): s is Sink => s !== undefined);
  }

  async #serial<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const mine = (this.#tails.get(id) ?? Promise.resolve()).then(fn);
    const tail = mine.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(id, tail);
    try {
      return await mine;
    } finally {
      if (this.#tails.get(id) === tail) this.#tails.delete(id);
    }
  }
}

/** `batch.maxRows` → `/batch/maxRows`: a JSON pointer into the config, as the console shows it. */
function toProblem(i: ConfigIssue): SinkProblem {
  const path = i.path === '' ? '' : `/${i.path.split('.').join('/')}`;
  return { path, message: i.expected };
}
