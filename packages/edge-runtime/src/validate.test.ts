import { Errors } from '@watershed/common';
import type { DriverModule } from '@watershed/driver-sdk';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import type { EdgeConfig } from './config.js';
import { checkEdgeConfig } from './validate.js';
import { MGMT_DEFAULTS } from './test-support.js';

const fakeModule: DriverModule = {
  id: 'fake',
  version: '1',
  description: 'test',
  configSchema: Type.Object({ host: Type.String(), port: Type.Integer() }, { additionalProperties: false }),
  checkAddress: (a) => (/^\d+$/.test(a) ? { ok: true } : { ok: false, message: 'a register number' }),
  create: () => {
    throw new Error('not used');
  },
};

function config(): EdgeConfig {
  return {
    site: 's',
    node: 'n',
    uplink: { url: 'mqtt://x', keepaliveS: 30, reconnectMs: 1000, qos: 1 },
    buffer: { maxMessages: 1000, replayRatePerS: 1000, window: 16 },
    mgmt: MGMT_DEFAULTS,
    devices: [
      {
        name: 'plc',
        driver: 'fake',
        config: { host: 'h', port: 1 },
        groups: [{ name: 'g', intervalMs: 1000, tags: [{ name: 't', address: '1', dataType: 'uint16' }] }],
      },
    ],
  };
}

function issuesOf(c: EdgeConfig): string[] {
  try {
    checkEdgeConfig(c, [fakeModule]);
  } catch (err) {
    expect(Errors.CONFIG_INVALID.is(err)).toBe(true);
    return (err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
  }
  return [];
}

describe('checkEdgeConfig', () => {
  it('accepts a valid config', () => {
    expect(issuesOf(config())).toEqual([]);
  });

  it('names a bad driver setting, a bad address, duplicates and the reserved group name', () => {
    const c = config();
    const d = c.devices[0]!;
    d.config = { host: 'h', port: 'x' };
    d.groups[0]!.tags.push({ name: 't', address: 'r1', dataType: 'uint16' });
    d.groups.push({ name: 'mgmt', intervalMs: 1000, tags: [{ name: 'a', address: '2', dataType: 'bool' }] });
    c.devices.push({ ...d, name: 'plc2', groups: [{ ...d.groups[0]!, tags: [d.groups[0]!.tags[0]!] }] });
    expect(issuesOf(c)).toEqual([
      'devices.0.config.port',
      'devices.0.groups.0.tags.1.name',
      'devices.0.groups.0.tags.1.address',
      'devices.0.groups.1.name',
      'devices.1.config.port',
      'devices.1.groups.0.name',
    ]);
  });

  it('names an unknown driver', () => {
    const c = config();
    c.devices[0]!.driver = 'profibus';
    expect(issuesOf(c)).toEqual(['devices.0.driver']);
  });
});
