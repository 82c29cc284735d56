import { silentLogger } from '@watershed/common';
import { loadScenario, REFERENCE_SCENARIO, SMALL_SCENARIO } from '@watershed/sim';
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from './scenario-names.js';
import { scenarioSettings } from './scenario.js';

describe('a shipped scenario fitted to the platform', () => {
  const ctx = { dataDir: '/srv/ws', mqttUrl: 'mqtt://127.0.0.1:41883', logger: silentLogger() };

  it('offers the simulator’s own scenario names', () => {
    expect(SCENARIO_NAMES).toEqual([REFERENCE_SCENARIO, SMALL_SCENARIO]);
  });

  it('keeps the MQTT vendor meters on the platform broker and leaves the HTTP ones out', () => {
    const file = loadScenario('reference', {});
    expect(file.vendorMeters.some((v) => v.transport === 'http')).toBe(true);
    const settings = scenarioSettings('reference', ctx);
    expect(settings.vendorMeters).toEqual(
      file.vendorMeters.filter((v) => v.transport === 'mqtt').map((v) => ({ ...v, url: ctx.mqttUrl })),
    );
    expect(settings.stations).toEqual(file.stations);
    expect(settings.concentrators).toEqual(file.concentrators);
  });

  it('writes the ground truth into the data dir', () => {
    expect(scenarioSettings('small', ctx).groundTruthFile).toBe('/srv/ws/sim/small-ground-truth.jsonl');
  });
});
