import { defineError } from '@watershed/common';

/** The meters resource's catalog (the decoders' per-item codes are the server's WS_ERR_METER_*). */
export const MeterApiErrors = {
  VENDOR_NOT_FOUND: defineError('WS_ERR_METER_VENDOR_NOT_FOUND', 404, 'no meter vendor "%s" posts over HTTP'),
  UNAUTHORIZED: defineError(
    'WS_ERR_METER_UPLINK_UNAUTHORIZED',
    401,
    'meter uplink of vendor "%s": missing or unknown token (Authorization: Bearer, or access_token)',
  ),
  BATCH_EMPTY: defineError('WS_ERR_METER_BATCH_EMPTY', 400, 'the uplink batch is empty'),
  BATCH_TOO_LARGE: defineError(
    'WS_ERR_METER_BATCH_TOO_LARGE',
    413,
    '%s readings in one uplink; vendor "%s" may send at most %s',
  ),
  NOT_FOUND: defineError('WS_ERR_METER_NOT_FOUND', 404, 'meter "%s" not found'),
} as const;
