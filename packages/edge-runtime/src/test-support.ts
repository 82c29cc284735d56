/** Helpers shared by this package's tests (not exported from the package). */
import type { MgmtConfig } from './config.js';

/** The mgmt section as loadConfig fills it from defaults; tests spread overrides over it. */
export const MGMT_DEFAULTS: MgmtConfig = {
  enabled: true,
  reportIntervalS: 30,
  logLines: 200,
  logLevel: 'warn',
  writeTimeoutMs: 5000,
  writeCache: 256,
};
