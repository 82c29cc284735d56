import { defineError } from '@watershed/common';

/**
 * Why a vendor meter uplink was refused. Each code is counted per vendor and returned per item
 * by the HTTP uplink, so a vendor integrator sees the same reason an operator reads in the log.
 */
export const MeterErrors = {
  NOT_JSON: defineError('WS_ERR_METER_NOT_JSON', 400, 'payload is not JSON: %s'),
  NOT_OBJECT: defineError('WS_ERR_METER_NOT_OBJECT', 400, 'a reading must be a JSON object, got %s'),
  FIELD_MISSING: defineError('WS_ERR_METER_FIELD_MISSING', 400, 'field "%s" is missing'),
  FIELD_INVALID: defineError('WS_ERR_METER_FIELD_INVALID', 400, 'field "%s": %s'),
  BAD_ID: defineError(
    'WS_ERR_METER_BAD_ID',
    400,
    'meter id "%s" is not usable as a point name (letters, digits, "_" or "-", 1 to 64 characters)',
  ),
  BAD_TIME: defineError('WS_ERR_METER_BAD_TIME', 400, 'field "%s": "%s" is not a %s time'),
  TIME_RANGE: defineError(
    'WS_ERR_METER_TIME_RANGE',
    400,
    'field "%s": %s lies outside 2000-01-01..2100-01-01 (wrong unit or unset meter clock?)',
  ),
  NO_DISTRICT: defineError('WS_ERR_METER_NO_DISTRICT', 422, 'meter "%s": no district (%s)'),
  BAD_DISTRICT: defineError(
    'WS_ERR_METER_BAD_DISTRICT',
    422,
    'meter "%s": district "%s" is not a valid name',
  ),
  STORE_FAILED: defineError('WS_ERR_METER_STORE_FAILED', 503, 'readings not stored: %s'),
  CONFIG: defineError('WS_ERR_METER_CONFIG', 400, 'meters config: %s'),
} as const;
