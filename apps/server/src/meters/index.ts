/** Vendor meter ingest (issues 5 and 7): decoders, MQTT and HTTP uplinks, the meter registry. */
export { startMeters, checkMetersConfig, type MetersOptions, type RunningMeters } from './start-meters.js';
export { MetersConfig, MeterVendorConfig, DEFAULT_METER_VENDORS, JsonDecoderSpec } from './config.js';
export { MeterErrors } from './errors.js';
export { VENDOR_PRESETS, decoderFor } from './presets.js';
export { jsonDecoder, type MeterDecoder, type DecodeOutcome } from './json-decoder.js';
export { meterPointId, meterNode, METER_GROUPS } from './meter-points.js';
export type { MeterVendorStats, MeterIngestResult } from './meter-ingest.js';
