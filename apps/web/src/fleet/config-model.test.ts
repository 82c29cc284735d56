import { describe, expect, it } from 'vitest';
import {
  addGroup,
  addTag,
  configText,
  fieldsOfTag,
  parseConfigText,
  readPlantConfig,
  removeGroup,
  removeTag,
  setGroup,
  setTag,
  tagOfFields,
  validateConfig,
  type PlantConfig,
} from './config-model.js';

const base = (): PlantConfig => ({
  devices: [
    {
      name: 'plc',
      driver: 'modbus-tcp',
      config: { host: '127.0.0.1', port: 502 },
      groups: [
        {
          name: 'process',
          intervalMs: 1000,
          tags: [
            { name: 'FLOW', address: '1!300001#LL', dataType: 'float', unit: 'm3/h', quantity: 'flow' },
            { name: 'SP', address: '1!400001#LL', dataType: 'float', writable: true, min: 0, max: 120 },
          ],
        },
      ],
    },
  ],
  rules: [{ id: 'r1', sql: 'SELECT 1' }],
});

describe('editing', () => {
  it('adds, changes and removes tags and groups without touching the rest', () => {
    const before = base();
    let c = addTag(before, 0, 0, { name: 'LPS', address: '1!300001#LL', dataType: 'float', scale: 0.2778 });
    expect(c.devices[0]!.groups[0]!.tags.map((t) => t.name)).toEqual(['FLOW', 'SP', 'LPS']);
    c = setTag(c, { device: 0, group: 0, tag: 0 }, { ...c.devices[0]!.groups[0]!.tags[0]!, deadband: 0.5 });
    expect(c.devices[0]!.groups[0]!.tags[0]).toMatchObject({ name: 'FLOW', deadband: 0.5, quantity: 'flow' });
    c = removeTag(c, { device: 0, group: 0, tag: 1 });
    expect(c.devices[0]!.groups[0]!.tags.map((t) => t.name)).toEqual(['FLOW', 'LPS']);
    c = addGroup(c, 0, {
      name: 'slow',
      intervalMs: 60_000,
      tags: [{ name: 'T', address: '1!300009', dataType: 'int16' }],
    });
    c = setGroup(c, 0, 1, { name: 'hourly', intervalMs: 3_600_000 });
    expect(c.devices[0]!.groups.map((g) => [g.name, g.intervalMs])).toEqual([
      ['process', 1000],
      ['hourly', 3_600_000],
    ]);
    c = removeGroup(c, 0, 0);
    expect(c.devices[0]!.groups.map((g) => g.name)).toEqual(['hourly']);
    // Driver settings and rules ride along; the original is not mutated.
    expect(c.devices[0]!.config).toEqual({ host: '127.0.0.1', port: 502 });
    expect(c.rules).toEqual(before.rules);
    expect(before).toEqual(base());
  });
});

describe('validateConfig', () => {
  it('finds nothing wrong with a good config', () => {
    expect(validateConfig(base())).toEqual([]);
  });
  it('names what the gateway would refuse, by path', () => {
    let c = addTag(base(), 0, 0, {
      name: 'FLOW',
      address: ' ',
      dataType: 'float',
      deadband: -1,
      min: 5,
      max: 1,
    });
    c = addGroup(c, 0, { name: 'bad name', intervalMs: 5, tags: [] });
    expect(validateConfig(c)).toEqual([
      { path: 'devices.0.groups.1.name', kind: 'name', value: 'bad name' },
      { path: 'devices.0.groups.0.tags.2.name', kind: 'duplicate', value: 'FLOW' },
      { path: 'devices.0.groups.0.tags.2.address', kind: 'address' },
      { path: 'devices.0.groups.0.tags.2.deadband', kind: 'deadband', value: '-1' },
      { path: 'devices.0.groups.0.tags.2.min', kind: 'limits', value: '5 > 1' },
      { path: 'devices.0.groups.1.intervalMs', kind: 'interval', value: '5' },
      { path: 'devices.0.groups.1.tags', kind: 'noTags', value: 'bad name' },
    ]);
  });
});

describe('the tag form', () => {
  it('round-trips a tag, keeping the fields the form has no column for', () => {
    const tag = base().devices[0]!.groups[0]!.tags[0]!;
    const fields = fieldsOfTag(tag);
    expect(fields).toMatchObject({
      name: 'FLOW',
      dataType: 'float',
      unit: 'm3/h',
      scale: '',
      writable: 'false',
    });
    expect(tagOfFields({ ...fields, scale: '0.5', unit: '' }, tag)).toEqual({
      ok: true,
      tag: { name: 'FLOW', address: '1!300001#LL', dataType: 'float', quantity: 'flow', scale: 0.5 },
    });
  });
  it('refuses a bad name and a number that is not one, rather than guessing', () => {
    const r = tagOfFields({ ...fieldsOfTag(undefined), name: 'a.b', address: '1!1', deadband: 'x' });
    expect(r).toEqual({
      ok: false,
      issues: [
        { path: 'name', kind: 'name', value: 'a.b' },
        { path: 'deadband', kind: 'number', value: 'x' },
      ],
    });
  });
});

describe('the raw view', () => {
  it('shows JSON and reads it back', () => {
    const c = base();
    expect(parseConfigText(configText(c))).toEqual({ ok: true, config: c });
  });
  it('reports syntax and shape errors', () => {
    const syntax = parseConfigText('{ "devices": [ }');
    expect(syntax.ok).toBe(false);
    expect(syntax).toHaveProperty('syntax');
    expect(parseConfigText('{"devices":[{"name":"d","groups":[{"name":"g","tags":{}}]}]}')).toEqual({
      ok: false,
      issue: { path: 'devices.0.groups.0.tags', kind: 'shape' },
    });
    expect(readPlantConfig([])).toEqual({ ok: false, issue: { path: 'devices', kind: 'shape' } });
  });
  it('gives a device without driver settings an empty set', () => {
    const r = readPlantConfig({ devices: [{ name: 'd', driver: 'x', groups: [] }] });
    expect(r.ok && r.config.devices[0]!.config).toEqual({});
  });
});
