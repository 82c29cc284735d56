import { Type, type Static } from 'typebox';
import type { ActionType } from './action.js';

export const ConsoleConfig = Type.Object(
  {
    type: Type.Literal('console'),
    level: Type.Optional(Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn')])),
  },
  { additionalProperties: false },
);
export type ConsoleConfig = Static<typeof ConsoleConfig>;

/** Logs each output row through the engine's logger (EMQX `console`), for debugging a rule. */
export const consoleAction: ActionType<ConsoleConfig> = {
  type: 'console',
  description: 'Log each output row',
  configSchema: ConsoleConfig,
  create(config, deps) {
    const level = config.level ?? 'info';
    const log = deps.logger.child({ rule: deps.ruleId, action: 'console' });
    return {
      run(rows, input) {
        for (const row of rows) log[level]({ row, topic: input?.topic }, 'rule output');
      },
    };
  },
};
