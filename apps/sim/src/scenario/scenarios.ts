import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSimConfig, type SimConfig } from '../config.js';
import { SimErrors } from '../errors.js';

/** The scenario files shipped with the simulator (apps/sim/scenarios). */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

/** The reference deployment: 26 plants and stations, ≥ 30,000 points, ≥ 5,000 meters. */
export const REFERENCE_SCENARIO = 'reference';
/** A small city of the same kind, for fast tests. */
export const SMALL_SCENARIO = 'small';

/** Path of a shipped scenario by name (`reference`, `small`, `net3-demo`, `ltown-leaks`). */
export function scenarioFile(name: string): string {
  const file = `${SCENARIOS_DIR}${name}.yaml`;
  if (!/^[\w-]+$/.test(name) || !existsSync(file))
    throw SimErrors.UNKNOWN_SCENARIO.create([name, SCENARIOS_DIR]);
  return file;
}

/**
 * Loads a shipped scenario, validated and with defaults filled, `WATERSHED_SIM__*` variables
 * overlaid (pass `{}` to ignore the environment).
 */
export function loadScenario(
  name: string = REFERENCE_SCENARIO,
  env: Record<string, string | undefined> = process.env,
): SimConfig {
  return loadSimConfig(scenarioFile(name), env);
}
