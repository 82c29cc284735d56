import { createLogger } from '@watershed/common';
import type { RuleActionPreview, RuleActionSpec } from '@watershed/console-api';
import type { ActionDeps, ActionRegistry, MessageSource } from '@watershed/rule-engine';
import { toProblem } from './problems.js';

/**
 * What each action of a test run would do with the output rows, found by running the real
 * action code (so templates, QoS and topic checks are the engine's own) against a source and
 * sinks that only record: nothing is published, written or logged.
 */
export function previewActions(
  registry: ActionRegistry,
  actions: readonly RuleActionSpec[],
  rows: readonly Record<string, unknown>[],
  sinkExists: ((id: string) => boolean) | undefined,
): RuleActionPreview[] {
  return actions.map((config, index) => {
    let effects: Record<string, unknown>[] = [];
    const source: MessageSource = {
      subscribe: () => () => undefined,
      publish: (m) => effects.push({ publish: { ...m } }),
    };
    const deps: ActionDeps = {
      source,
      // The console action logs each row: record it instead.
      logger: recordingLogger((row) => effects.push({ log: row })),
      ruleId: 'test',
      sinks: {
        get: (id) => ({
          write: (batch) => {
            for (const row of batch) {
              effects.push({ sink: id, row: { ...row }, ...(sinkExists && { sinkExists: sinkExists(id) }) });
            }
            return Promise.resolve();
          },
        }),
      },
    };
    let action;
    try {
      action = registry.create(config, deps);
    } catch (err) {
      return { index, type: config.type, effects: [], problem: toProblem(err, `actions.${index}`) };
    }
    for (const row of rows) {
      const before = effects.length;
      try {
        // Everything an action does with the recorders happens before its first await.
        void action.run([row], undefined);
      } catch (err) {
        effects = effects.slice(0, before);
        effects.push({ error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { index, type: config.type, effects };
  });
}

/**
 * A debug-level logger whose every line that carries a `row` hands it to `onRow`: the console
 * action's only output. Lines are written synchronously to the destination, so a row is
 * recorded before `run` returns.
 */
function recordingLogger(onRow: (row: unknown) => void): ActionDeps['logger'] {
  return createLogger({
    level: 'debug',
    // pino needs only `write` of its destination.
    destination: {
      write(line: string) {
        const entry = JSON.parse(line) as { row?: unknown };
        if ('row' in entry) onRow(entry.row);
        return true;
      },
    } as unknown as NodeJS.WritableStream,
  });
}
