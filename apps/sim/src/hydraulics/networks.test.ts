import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NETWORKS_DIR_ENV, networkPath, resolveNetworksDir } from './networks.js';

describe('network files', () => {
  it('default to ../shared/data/networks beside the repository, wherever the process runs', () => {
    const dir = resolveNetworksDir(undefined, {});
    expect(dir).toMatch(/shared\/data\/networks$/);
    expect(existsSync(networkPath(dir, 'Net3'))).toBe(true);
    expect(networkPath(dir, 'Net1.inp')).toBe(`${dir}/Net1.inp`);
  });

  it('take the option first, then the environment', () => {
    expect(resolveNetworksDir('/opt/nets', { [NETWORKS_DIR_ENV]: '/env/nets' })).toBe('/opt/nets');
    expect(resolveNetworksDir(undefined, { [NETWORKS_DIR_ENV]: '/env/nets' })).toBe('/env/nets');
  });

  it('name the missing file and directory', () => {
    expect(() => networkPath('/nowhere', 'Net9')).toThrow(/network model Net9.inp not found in \/nowhere/);
  });
});
