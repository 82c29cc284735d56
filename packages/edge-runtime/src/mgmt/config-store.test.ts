import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeErrors } from '../errors.js';
import { ConfigStore } from './config-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ws-cfgstore-'));
  dirs.push(d);
  return d;
}

describe('ConfigStore', () => {
  it('saves and loads the applied config, replacing it without leaving temporary files', () => {
    const d = dir();
    const store = new ConfigStore(join(d, 'state', 'applied.json'));
    expect(store.load()).toBeUndefined();
    store.save({ version: 1, checksum: 'a', appliedAt: 10, config: { devices: [] } });
    store.save({ version: 2, checksum: 'b', appliedAt: 20, config: { devices: [] } });
    expect(new ConfigStore(join(d, 'state', 'applied.json')).load()).toEqual({
      version: 2,
      checksum: 'b',
      appliedAt: 20,
      config: { devices: [] },
    });
    expect(readdirSync(join(d, 'state'))).toEqual(['applied.json']);
  });

  it('refuses a damaged file with a catalog error rather than running on garbage', () => {
    const file = join(dir(), 'applied.json');
    writeFileSync(file, '{"version": 1, "chec');
    expect(() => new ConfigStore(file).load()).toThrow(
      expect.objectContaining({ code: EdgeErrors.STATE_READ.code }),
    );
    writeFileSync(file, '{"version": "1"}');
    expect(() => new ConfigStore(file).load()).toThrow(/not an applied config/);
  });

  it('without a file keeps nothing', () => {
    const store = new ConfigStore(undefined);
    store.save({ version: 1, checksum: 'a', appliedAt: 1, config: {} });
    expect(store.load()).toBeUndefined();
  });
});
