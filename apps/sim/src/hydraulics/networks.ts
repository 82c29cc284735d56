import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimErrors } from '../errors.js';

/** The environment variable that overrides where network models are read from. */
export const NETWORKS_DIR_ENV = 'WATERSHED_NETWORKS_DIR';

/**
 * The directory holding the `.inp` network models. An explicit option wins, then the
 * environment, then the shared data directory beside the repository
 * (`<repo>/../shared/data/networks`), found relative to this file so the working directory
 * does not matter.
 */
export function resolveNetworksDir(
  explicit?: string,
  env: Record<string, string | undefined> = process.env,
): string {
  const chosen = explicit ?? env[NETWORKS_DIR_ENV];
  if (chosen !== undefined && chosen !== '') return resolve(chosen);
  // this file: <repo>/apps/sim/src/hydraulics/networks.ts
  const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
  return resolve(repoRoot, '..', 'shared', 'data', 'networks');
}

/** Full path of a network file (`Net3` or `Net3.inp`) inside `dir`; throws if it is missing. */
export function networkPath(dir: string, name: string): string {
  const file = name.endsWith('.inp') ? name : `${name}.inp`;
  const path = isAbsolute(file) ? file : join(dir, file);
  if (!existsSync(path)) throw SimErrors.NETWORK_NOT_FOUND.create([file, dir]);
  return path;
}
