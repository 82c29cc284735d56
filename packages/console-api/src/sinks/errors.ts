import { defineError } from '@watershed/common';

/** The sinks resource's catalog. Revision conflicts and duplicate ids are the store's (409). */
export const SinkApiErrors = {
  NOT_FOUND: defineError('WS_ERR_SINK_NOT_FOUND', 404, 'sink "%s" not found'),
  INVALID: defineError('WS_ERR_SINK_INVALID', 400, 'sink "%s" cannot run: %s'),
  FROM_FILE: defineError(
    'WS_ERR_SINK_FROM_FILE',
    409,
    'sink "%s" comes from the server\'s config file (sinks:) and cannot be %s through the API; change the file and restart the server',
  ),
  EXISTS: defineError('WS_ERR_SINK_EXISTS', 409, 'a sink with id "%s" already exists'),
  TYPE_CHANGE: defineError(
    'WS_ERR_SINK_TYPE_CHANGE',
    400,
    'sink "%s" is of type %s and cannot become %s; create a new sink instead',
  ),
  PROJECT_REQUIRED: defineError(
    'WS_ERR_SINK_PROJECT_REQUIRED',
    400,
    'an installation-wide principal must name the project of the sink (project field or query parameter)',
  ),
  READ_ONLY: defineError(
    'WS_ERR_SINK_READ_ONLY',
    405,
    'this server runs its sinks from the config file only; sinks cannot be changed through the API',
  ),
} as const;
