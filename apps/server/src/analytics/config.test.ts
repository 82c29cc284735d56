import { loadConfig } from '@watershed/common';
import { describe, expect, it } from 'vitest';
import { ServerConfig } from '../config.js';
import { analyticsSettings } from './config.js';

describe('the analytics config section', () => {
  it('fills every default when the section is absent or empty', () => {
    const s = analyticsSettings(undefined);
    expect(s).toMatchObject({
      project: 'default/default',
      tzOffsetMinutes: 480,
      night: { startHour: 2, endHour: 4, rollingMinutes: 15 },
      allowanceLPerPropertyH: 1.7,
      leak: { baselineNights: 7, minBaselineNights: 3, thresholdM3h: 0.5, thresholdPct: 10 },
      minCoveragePct: 90,
      meterReportIntervalS: 3600,
      quality: {},
    });
    expect(s.districts).toBeUndefined();
  });

  it('is part of the server config, checked with the rest, a bad value named by its path', () => {
    const cfg = loadConfig({
      schema: ServerConfig,
      value: {
        analytics: {
          tzOffsetMinutes: 0,
          districts: [{ id: 'north', inflows: ['north.north-works.process.FT1_FLOW'], properties: 1200 }],
          quality: {
            profile: 'small-system',
            points: [
              { point: 'hill.hill-works.process.Q1_TURB', role: 'plant-outlet', quantity: 'turbidity' },
            ],
          },
        },
      },
    });
    expect(analyticsSettings(cfg.analytics)).toMatchObject({
      tzOffsetMinutes: 0,
      night: { startHour: 2 },
      districts: [{ id: 'north', properties: 1200 }],
    });
    expect(() =>
      loadConfig({ schema: ServerConfig, value: { analytics: { night: { startHour: 25 } } } }),
    ).toThrow(/analytics\.night\.startHour: must be <= 24/);
    expect(() => analyticsSettings({ districts: [{ id: 'north', inlets: [] }] })).toThrow(
      /WS_ERR_CONFIG_INVALID|inlets/,
    );
  });
});
