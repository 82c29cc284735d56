import { defineError } from '@watershed/common';

/** Catalog entries of the HTTP webhook sink. */
export const HttpSinkErrors = {
  STATUS: defineError('WS_ERR_SINK_HTTP_STATUS', 502, '%s %s answered %s: %s'),
  TIMEOUT: defineError('WS_ERR_SINK_HTTP_TIMEOUT', 504, '%s %s: no answer within %s ms'),
  REDIRECT: defineError(
    'WS_ERR_SINK_HTTP_REDIRECT',
    502,
    '%s %s redirects (%s) to %s; configure the final URL (a redirect would turn a POST into a GET)',
  ),
  TEMPLATE: defineError('WS_ERR_SINK_HTTP_TEMPLATE', 400, 'bad template %s: %s'),
} as const;
