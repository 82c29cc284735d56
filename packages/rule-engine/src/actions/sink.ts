import { Type, type Static } from 'typebox';
import { RuleEngineErrors } from '../errors.js';
import type { ActionType } from './action.js';

export const SinkConfig = Type.Object(
  {
    type: Type.Literal('sink'),
    /** Id of a sink in the engine's SinkRegistry (tsdb, postgres, webhook …). */
    sink: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type SinkConfig = Static<typeof SinkConfig>;

/**
 * Hands the rows of one message or window emit to a sink as one batch. The sink is looked up
 * per batch, so sinks can be (re)configured after the rule; a missing sink fails the batch.
 * Batching, queueing and retry are the sink's business (DESIGN: Sink contract).
 */
export const sinkAction: ActionType<SinkConfig> = {
  type: 'sink',
  description: 'Write output rows to a configured sink',
  configSchema: SinkConfig,
  create(config, deps) {
    // Not async: the sink's own promise goes back as it is, one promise per message fewer.
    return {
      run(rows) {
        const sink = deps.sinks.get(config.sink);
        if (!sink) return Promise.reject(RuleEngineErrors.UNKNOWN_SINK.create([config.sink]));
        return sink.write(rows);
      },
    };
  },
};
