import { join } from 'node:path';
import type { Clock, Logger, Registry } from '@watershed/common';
import {
  builtinActionTypes,
  createRuleEngine,
  FileCheckpointStore,
  type MessageSource,
  type RuleEngine,
  type SinkRegistry,
} from '@watershed/rule-engine';
import type { Store } from '@watershed/store';
import { EngineRuleRuntime } from './engine-runtime.js';
import { RuleLatency } from './latency.js';
import { seedConfigRules, type ConfigRule } from './seed.js';

/** The project config-file rules are seeded into when the config does not name one. */
export const DEFAULT_RULE_PROJECT = 'default/default';

export interface ServerRulesOptions {
  readonly source: MessageSource;
  readonly store: Store;
  /** Where `sink` actions write (configured sinks plus the built-in `store`). */
  readonly sinks: SinkRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Gets `watershed_rule_*` (messages, action rows, latency). */
  readonly metrics?: Registry;
  /** `config.rules`: seeded into the store once, then the store's copy counts. */
  readonly configRules?: readonly ConfigRule[];
  readonly configProject?: string;
  /** The server's data directory; holds the list of config rules already seeded. */
  readonly dataDir: string;
}

export interface ServerRules {
  readonly engine: RuleEngine;
  /** What `rulesRoutes` takes as `runtime`. */
  readonly runtime: EngineRuleRuntime;
  /** Closes the engine (last checkpoint, waits for running actions), then the runtime's timer. */
  close(): Promise<void>;
}

/**
 * The cloud rule engine with its rules in the store: creates the engine (its actions timed for
 * the latency metric), seeds the config file's rules into the store the first time, and installs
 * every enabled stored rule. From then on the rules API changes the running engine directly.
 */
export async function startServerRules(opts: ServerRulesOptions): Promise<ServerRules> {
  const latency = new RuleLatency({
    now: () => opts.clock.now(),
    ...(opts.metrics && { metrics: opts.metrics }),
  });
  const actions = latency.wrap(builtinActionTypes);
  const engine = createRuleEngine({
    source: opts.source,
    clock: opts.clock,
    logger: opts.logger,
    actions,
    sinks: opts.sinks,
    ...(opts.metrics && { metrics: opts.metrics }),
    // Open windows and analytic history survive a restart: saved every 10 s and on close,
    // restored below once the stored rules are installed (issue 4, "window state survives").
    checkpoint: {
      store: new FileCheckpointStore(join(opts.dataDir, 'rule-checkpoints')),
      intervalMs: 10_000,
      onProblem: (p) =>
        opts.logger.warn({ problem: p }, 'rule checkpoint unusable; the rule runs on from empty state'),
    },
  });
  const runtime = new EngineRuleRuntime({
    engine,
    clock: opts.clock,
    logger: opts.logger,
    actions,
    latency,
    sinkExists: (id) => opts.sinks.get(id) !== undefined,
  });
  const close = async (): Promise<void> => {
    await engine.close();
    await runtime.close();
  };
  try {
    const seeded = await seedConfigRules(opts.store.metadata.rules, opts.configRules ?? [], {
      project: opts.configProject ?? DEFAULT_RULE_PROJECT,
      markerFile: join(opts.dataDir, 'rules-seeded.json'),
      logger: opts.logger,
    });
    const loaded = runtime.load(await opts.store.metadata.rules.list({ enabled: true }));
    const restored = await engine.restore();
    opts.logger.info({ seeded, loaded: loaded.length, restored }, 'rules loaded from the store');
  } catch (err) {
    await close();
    throw err;
  }
  return { engine, runtime, close };
}
