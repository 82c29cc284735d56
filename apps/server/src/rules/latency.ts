import { Gauge, type Registry } from '@watershed/common';
import type { Action, ActionType } from '@watershed/rule-engine';

const RING = 1024;

/** The newest latencies of one rule in a fixed ring: no allocation per message. */
class Ring {
  readonly values = new Float64Array(RING);
  count = 0;
  max = 0;

  add(ms: number): void {
    this.values[this.count % RING] = ms;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  summary(): { count: number; mean: number; p50: number; p99: number; max: number } | undefined {
    const n = Math.min(this.count, RING);
    if (n === 0) return undefined;
    const sorted = this.values.slice(0, n).sort();
    let sum = 0;
    for (const v of sorted) sum += v;
    const at = (q: number): number => sorted[Math.min(n - 1, Math.floor(q * n))]!;
    return { count: this.count, mean: sum / n, p50: at(0.5), p99: at(0.99), max: this.max };
  }
}

/**
 * Per-rule latency: from the broker accepting a message (`timestamp` of the rule's input) to an
 * action of the rule having handed its rows on (published, or accepted by a sink's queue). The
 * engine does not time its rules, so the server wraps its action types
 * ({@link RuleLatency.wrap}) and gives the wrapped ones to the engine. The hot path writes one
 * number into a ring; quantiles are computed when the API or a scrape asks
 * (`watershed_rule_latency_ms{rule,quantile}`).
 */
export class RuleLatency {
  readonly #now: () => number;
  readonly #rings = new Map<string, Ring>();

  constructor(opts: { now: () => number; metrics?: Registry }) {
    this.#now = opts.now;
    if (opts.metrics) this.#register(opts.metrics);
  }

  /** The action types, each timing its actions for the rule that owns them. */
  wrap(types: readonly ActionType<never>[]): ActionType<never>[] {
    return types.map((t) => ({
      type: t.type,
      description: t.description,
      configSchema: t.configSchema,
      create: (config: never, deps) => this.#timed(t.create(config, deps), deps.ruleId),
    }));
  }

  summary(rule: string): ReturnType<Ring['summary']> {
    return this.#rings.get(rule)?.summary();
  }

  forget(rule: string): void {
    this.#rings.delete(rule);
  }

  #timed(action: Action, rule: string): Action {
    const record = (start: number | undefined): void => {
      if (start === undefined) return;
      let ring = this.#rings.get(rule);
      if (!ring) this.#rings.set(rule, (ring = new Ring()));
      ring.add(Math.max(0, this.#now() - start));
    };
    return {
      run: (rows, input) => {
        // Window emits have no input message: their latency is the window's, not the engine's.
        const start = typeof input?.timestamp === 'number' ? input.timestamp : undefined;
        const r = action.run(rows, input);
        if (r instanceof Promise) return r.then(() => record(start));
        record(start);
        return undefined;
      },
    };
  }

  #register(registry: Registry): void {
    const rings = this.#rings;
    new Gauge({
      name: 'watershed_rule_latency_ms',
      help: 'Broker accept to rule action done, over the newest 1024 messages per rule',
      labelNames: ['rule', 'quantile'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [rule, ring] of rings) {
          const s = ring.summary();
          if (!s) continue;
          this.set({ rule, quantile: '0.5' }, s.p50);
          this.set({ rule, quantile: '0.99' }, s.p99);
          this.set({ rule, quantile: '1' }, s.max);
        }
      },
    });
  }
}
