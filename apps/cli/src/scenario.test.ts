import { loadConfig, silentLogger } from '@watershed/common';
import { ServerConfig } from '@watershed/server';
import { loadScenario, REFERENCE_SCENARIO, SMALL_SCENARIO } from '@watershed/sim';
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from './scenario-names.js';
import { scenarioMeters, scenarioSettings, uplinkUrl } from './scenario.js';

describe('a shipped scenario fitted to the platform', () => {
  const ctx = {
    dataDir: '/srv/ws',
    mqttUrl: 'mqtt://127.0.0.1:41883',
    meterUplink: { apiUrl: 'http://127.0.0.1:48080', token: 'tok-0123456789abcdef' },
    logger: silentLogger(),
  };

  it('offers the simulator’s own scenario names', () => {
    expect(SCENARIO_NAMES).toEqual([REFERENCE_SCENARIO, SMALL_SCENARIO]);
  });

  it('keeps the MQTT vendor meters on the platform broker and posts the HTTP ones to the uplink endpoint', () => {
    const file = loadScenario('reference', {});
    expect(file.vendorMeters.some((v) => v.transport === 'http')).toBe(true);
    const settings = scenarioSettings('reference', ctx);
    expect(settings.vendorMeters).toEqual(
      file.vendorMeters.map((v) => ({
        ...v,
        url:
          v.transport === 'mqtt'
            ? ctx.mqttUrl
            : `http://127.0.0.1:48080/api/v1/meters/uplink/${v.vendor}?access_token=tok-0123456789abcdef`,
      })),
    );
    expect(settings.stations).toEqual(file.stations);
    expect(settings.concentrators).toEqual(file.concentrators);
  });

  it('writes the ground truth into the data dir', () => {
    expect(scenarioSettings('small', ctx).groundTruthFile).toBe('/srv/ws/sim/small-ground-truth.jsonl');
  });

  it('escapes the token in the uplink URL', () => {
    expect(uplinkUrl({ apiUrl: 'http://[::1]:8080', token: 'a+b/c=' }, 'c')).toBe(
      'http://[::1]:8080/api/v1/meters/uplink/c?access_token=a%2Bb%2Fc%3D',
    );
  });

  it('configures the server for every simulated vendor, valid against the server’s schema', () => {
    const meters = scenarioMeters('reference', 'tok-0123456789abcdef');
    const config = loadConfig({ schema: ServerConfig, value: { meters }, label: 'platform settings' });
    expect(config.meters!.vendors.map((v) => [v.id, v.transport, v.decoder])).toEqual([
      ['a', { type: 'mqtt', topic: 'vendor-a/meters/+/up' }, 'vendor-a'],
      ['b', { type: 'mqtt', topic: 'vendorb/uplink/+' }, 'vendor-b'],
      ['c', { type: 'http', tokens: ['tok-0123456789abcdef'], maxBatch: 1000 }, 'vendor-c'],
    ]);
  });
});
