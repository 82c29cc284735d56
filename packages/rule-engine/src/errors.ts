import { defineError } from '@watershed/common';

/** The rule engine's catalog. Invalid SQL itself is reported by rule-sql (`WS_ERR_RULE_SQL_*`). */
export const RuleEngineErrors = {
  DUPLICATE_RULE: defineError('WS_ERR_RULE_DUPLICATE', 409, 'rule "%s" already exists'),
  UNKNOWN_RULE: defineError('WS_ERR_RULE_NOT_FOUND', 404, 'rule "%s" not found'),
  UNKNOWN_ACTION: defineError('WS_ERR_RULE_ACTION_UNKNOWN', 400, 'rule "%s": unknown action type "%s"'),
  ACTION_CONFIG: defineError('WS_ERR_RULE_ACTION_CONFIG', 400, 'rule "%s": invalid %s action config: %s'),
  UNKNOWN_SINK: defineError('WS_ERR_RULE_SINK_UNKNOWN', 404, 'sink "%s" is not registered'),
  EVENT_TIME: defineError(
    'WS_ERR_RULE_EVENT_TIME',
    400,
    'rule "%s": event time needs a tumbling or hopping window (got %s)',
  ),
  CHECKPOINT_CORRUPT: defineError(
    'WS_ERR_RULE_CHECKPOINT_CORRUPT',
    500,
    'rule "%s": checkpoint is not readable (%s); its windows start empty',
  ),
  CHECKPOINT_INCOMPATIBLE: defineError(
    'WS_ERR_RULE_CHECKPOINT_INCOMPATIBLE',
    500,
    'rule "%s": checkpoint format %s is not %s; its windows start empty',
  ),
  CLOSED: defineError('WS_ERR_RULE_ENGINE_CLOSED', 503, 'rule engine is closed'),
} as const;
