import { afterEach, beforeEach, describe } from 'vitest';
import { describeLifecycle } from './contract/lifecycle.js';
import { describeMetadataContract } from './contract/metadata.js';
import { describePoints } from './contract/points.js';
import { describeRollups } from './contract/rollups.js';
import { describeSamples } from './contract/samples.js';
import type { ContractContext, StoreHarness } from './contract/fixtures.js';
import type { Store } from './types.js';

export type { StoreHarness } from './contract/fixtures.js';
export { point } from './contract/fixtures.js';
export { PostgresCluster, POSTGRES_BIN, type ClusterOptions } from './postgres/testing/cluster.js';

/**
 * The behaviour every Store implementation owes its callers. Run it once per adapter:
 * `describeStoreContract('postgres', async () => ({ open, cleanup }))`. Each test gets a fresh,
 * empty store from `build`.
 */
export function describeStoreContract(name: string, build: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let current: Store | undefined;
    const ctx: ContractContext = {
      get store(): Store {
        if (!current) throw new Error('no store open');
        return current;
      },
      async reopen(): Promise<Store> {
        await current?.close();
        current = await harness.open();
        return current;
      },
    };

    beforeEach(async () => {
      harness = await build();
      current = await harness.open();
    });

    afterEach(async () => {
      await current?.close();
      current = undefined;
      await harness.cleanup();
    });

    describePoints(ctx);
    describeSamples(ctx);
    describeRollups(ctx);
    describeLifecycle(ctx);
    describeMetadataContract(ctx);
  });
}
