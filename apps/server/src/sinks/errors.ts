import { defineError } from '@watershed/common';

/** The server's sink-management catalog (sink-core's own errors are WS_ERR_SINK_*). */
export const SinkRuntimeErrors = {
  DISABLED: defineError(
    'WS_ERR_SINK_DISABLED',
    409,
    'sink "%s" is disabled: rows not written (enable it in the console, or remove the rule action)',
  ),
  DELETED: defineError('WS_ERR_SINK_DELETED', 404, 'sink "%s" was deleted: rows not written'),
  TEST_TIMEOUT: defineError('WS_ERR_SINK_TEST_TIMEOUT', 504, 'no answer from %s within %s ms'),
  SHADOWED: defineError(
    'WS_ERR_SINK_SHADOWED',
    409,
    'sink "%s" made through the console is not started: the config file now defines a sink with the same id',
  ),
} as const;
