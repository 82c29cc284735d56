import { defineError } from '@watershed/common';

/** Errors of the simulator's ground-truth endpoint, as its JSON error bodies carry them. */
export const GroundTruthHttpErrors = {
  /** A query parameter does not parse (e.g. a time that is neither ISO 8601 nor epoch ms). */
  BAD_QUERY: defineError('WS_ERR_SIM_GT_BAD_QUERY', 400, 'query parameter %s: %s'),
  /** No district of that name has had a leak (districts are the plants' networks). */
  UNKNOWN_DISTRICT: defineError(
    'WS_ERR_SIM_GT_UNKNOWN_DISTRICT',
    404,
    'no leak series for district "%s" (known: %s)',
  ),
  /** No such resource on the endpoint. */
  NOT_FOUND: defineError('WS_ERR_SIM_GT_NOT_FOUND', 404, 'no resource %s %s'),
} as const;
