import { Errors, formatIssues, type ConfigIssue, type Registry } from '@watershed/common';
import type { TObject } from 'typebox';
import { checkSinkConfig, composeSinkSchema } from './config.js';
import { SinkErrors } from './errors.js';
import { registerSinkMetrics } from './prom.js';
import { createSink } from './sink.js';
import type { Sink, SinkDeps, SinkHealth, SinkMetrics, SinkType } from './types.js';

/** A registered type as the console's forms and the docs see it. */
export interface SinkTypeInfo {
  readonly type: string;
  readonly description: string;
  /** The composed schema: common fields + the type's own. */
  readonly schema: TObject;
}

/**
 * The sink types a process knows and the sinks it runs. `get(id)` is what the rule engine's
 * `sink` action looks up (it satisfies `@watershed/rule-engine`'s SinkRegistry).
 */
export class SinkRegistry {
  readonly #types = new Map<string, SinkType>();
  readonly #sinks = new Map<string, Sink>();

  /** @param opts.metrics registers `watershed_sink_*` metrics for the sinks this registry runs. */
  constructor(opts: { metrics?: Registry } = {}) {
    if (opts.metrics) registerSinkMetrics(opts.metrics, () => this.#sinks.values());
  }

  register<C>(sinkType: SinkType<C>): this {
    if (this.#types.has(sinkType.type)) throw SinkErrors.DUPLICATE_TYPE.create([sinkType.type]);
    composeSinkSchema(sinkType); // fails now, not at the first config, on a bad schema
    this.#types.set(sinkType.type, sinkType);
    return this;
  }

  types(): SinkTypeInfo[] {
    return [...this.#types.values()].map((t) => ({
      type: t.type,
      description: t.description,
      schema: composeSinkSchema(t),
    }));
  }

  /**
   * Every problem with a list of sink configs, each named by its path under `path`
   * (`sinks.1.url`): unknown types, duplicate ids, and each type's schema.
   */
  check(configs: readonly unknown[], path = 'sinks'): ConfigIssue[] {
    return this.#check(configs, path).issues;
  }

  /**
   * Validates every config (throwing WS_ERR_CONFIG_INVALID with all issues), then creates the
   * sinks. If one cannot be created, those already created are closed before the error is thrown.
   */
  async create(configs: readonly unknown[], deps: SinkDeps, label = 'sinks'): Promise<Sink[]> {
    const { values, issues } = this.#check(configs, 'sinks');
    if (issues.length > 0) throw Errors.CONFIG_INVALID.create([label, formatIssues(issues)], { issues });
    const created: Sink[] = [];
    try {
      for (const v of values) {
        const id = v['id'] as string;
        if (this.#sinks.has(id)) throw SinkErrors.DUPLICATE_ID.create([id]);
        const sink = createSink(this.#types.get(v['type'] as string)!, v as { id: string }, deps);
        this.#sinks.set(id, sink);
        created.push(sink);
      }
    } catch (err) {
      for (const s of created) this.#sinks.delete(s.id);
      await Promise.allSettled(created.map((s) => s.close()));
      throw err;
    }
    return created;
  }

  get(id: string): Sink | undefined {
    return this.#sinks.get(id);
  }

  list(): Sink[] {
    return [...this.#sinks.values()];
  }

  metrics(): Record<string, SinkMetrics> {
    return Object.fromEntries([...this.#sinks].map(([id, s]) => [id, s.metrics()]));
  }

  health(): Record<string, SinkHealth> {
    return Object.fromEntries([...this.#sinks].map(([id, s]) => [id, s.health()]));
  }

  /** Closes every sink (each drains within its own closeTimeoutMs), in parallel. */
  async close(): Promise<void> {
    const sinks = [...this.#sinks.values()];
    this.#sinks.clear();
    await Promise.allSettled(sinks.map((s) => s.close()));
  }

  #check(
    configs: readonly unknown[],
    path: string,
  ): { values: Record<string, unknown>[]; issues: ConfigIssue[] } {
    const issues: ConfigIssue[] = [];
    const values: Record<string, unknown>[] = [];
    const ids = new Set<string>();
    configs.forEach((raw, i) => {
      const at = `${path}.${i}`;
      const type = (raw as { type?: unknown } | null)?.type;
      const sinkType = typeof type === 'string' ? this.#types.get(type) : undefined;
      if (!sinkType) {
        const known = [...this.#types.keys()].join(', ');
        issues.push({ path: `${at}.type`, value: type, expected: `a sink type (one of: ${known})` });
        return;
      }
      const r = checkSinkConfig(sinkType, raw, at);
      issues.push(...r.issues);
      const id = r.value['id'];
      if (typeof id === 'string') {
        if (ids.has(id))
          issues.push({ path: `${at}.id`, value: id, expected: 'a sink id unique in this list' });
        ids.add(id);
      }
      values.push(r.value);
    });
    return { values, issues };
  }
}
