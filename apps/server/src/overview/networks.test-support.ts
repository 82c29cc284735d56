import { resolve } from 'node:path';

/** The shared network models beside the repository, as the simulator finds them (apps/sim networks.ts). */
export const NETWORKS_DIR =
  process.env.WATERSHED_NETWORKS_DIR ?? resolve(import.meta.dirname, '../../../../../shared/data/networks');
