import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from './store.js';
import { describeStoreContract } from '../testing.js';

describeStoreContract('embedded SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ws-store-'));
  return Promise.resolve({
    open: () => openEmbeddedStore({ dir: join(dir, 'data'), flushIntervalMs: 5 }),
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});
