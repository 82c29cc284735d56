import { defineError } from '@watershed/common';

/** The rules resource's catalog. Revision conflicts and duplicates are the store's (409). */
export const RuleApiErrors = {
  NOT_FOUND: defineError('WS_ERR_RULE_NOT_FOUND', 404, 'rule "%s" not found'),
  INVALID: defineError('WS_ERR_RULE_INVALID', 400, 'rule "%s" cannot run: %s'),
  PROJECT_REQUIRED: defineError(
    'WS_ERR_RULE_PROJECT_REQUIRED',
    400,
    'an installation-wide principal must name the project of the rule (project field or query parameter)',
  ),
  REVISION_REQUIRED: defineError(
    'WS_ERR_RULE_REVISION_REQUIRED',
    428,
    'replacing rule "%s" needs the revision it is based on: an If-Match: "<revision>" header or a revision field',
  ),
  REVISION_HEADER: defineError(
    'WS_ERR_RULE_REVISION_HEADER',
    400,
    'If-Match must be one revision number such as "3" (got %s)',
  ),
  REVISION_MISMATCH: defineError(
    'WS_ERR_RULE_REVISION_MISMATCH',
    400,
    'If-Match (%s) and the revision field (%s) disagree',
  ),
} as const;
