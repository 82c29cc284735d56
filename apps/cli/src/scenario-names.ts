/**
 * The shipped cities `watershed up --scenario` starts (apps/sim/scenarios). Kept apart from
 * scenario.ts so the command line can list them without loading the simulator: its OPC UA stack
 * prints to stdout when loaded, which `watershed broker passwd` output must not carry.
 */
export const SCENARIO_NAMES = ['reference', 'small'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
