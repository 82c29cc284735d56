import { defineError } from '@watershed/common';

export const SinkApiErrors = {
  NOT_FOUND: defineError('WS_ERR_SINK_NOT_FOUND', 404, 'sink "%s" not found'),
} as const;
