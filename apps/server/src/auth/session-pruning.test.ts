import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '@watershed/common';
import { FakeClock } from '@watershed/common/testing';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { startSessionPruning } from './session-pruning.js';

const DAY = 86_400_000;

describe('session pruning', () => {
  let dir: string;
  let clock: FakeClock;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-sessions-'));
    clock = new FakeClock();
    store = await openEmbeddedStore({ dir, clock });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deletes sessions a week after they ended, hourly, and never a live one', async () => {
    const sessions = store.metadata.sessions;
    const ended = await sessions.create({ userId: 'u1', ttlMs: 3_600_000 });
    await sessions.revoke(ended.session.id);
    const live = await sessions.create({ userId: 'u1', ttlMs: 30 * DAY });
    const pruning = startSessionPruning({ sessions, clock, logger: silentLogger() });
    try {
      // Six days on, the revoked session is still listed for the user to see.
      await clock.advance(6 * DAY);
      expect((await sessions.list('u1')).map((s) => s.id).sort()).toEqual(
        [ended.session.id, live.session.id].sort(),
      );
      // The first hourly run after seven days removes it.
      await clock.advance(DAY + 3_600_000);
      await waitForList(() => sessions.list('u1'), 1);
      expect(await sessions.verify(live.token)).toBeDefined();
    } finally {
      await pruning.stop();
    }
  });

  it('logs a failed prune and keeps running', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'warn', destination });
    let calls = 0;
    const sessions = {
      ...store.metadata.sessions,
      prune: () => {
        calls += 1;
        return Promise.reject(new Error('database is locked'));
      },
    };
    const pruning = startSessionPruning({ sessions, clock, logger });
    await clock.advance(3_600_000);
    await pruning.stop();
    expect(calls).toBe(2);
    expect(lines.map((l) => JSON.parse(l) as { msg: string; err: string })).toEqual([
      expect.objectContaining({ msg: expect.stringContaining('retrying later'), err: 'database is locked' }),
      expect.objectContaining({ msg: expect.stringContaining('retrying later'), err: 'database is locked' }),
    ]);
  });
});

async function waitForList(list: () => Promise<unknown[]>, length: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await list()).length !== length) {
    if (Date.now() > deadline) throw new Error(`sessions never came down to ${length}`);
    await new Promise((r) => setImmediate(r));
  }
}
