import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '@watershed/common/testing';
import { SqliteExecutor } from '../../embedded/metadata/executor.js';
import { METADATA_SQL } from '../../embedded/metadata/schema.js';
import type { AuditEntry } from '../types.js';
import { SqlAudit } from './audit.js';

// The contract suite covers the audit log on both adapters; this covers what it cannot reach
// cheaply: an export spanning several internal pages, including a boundary between entries
// with the same timestamp, and the store's clock stamping entries.
describe('SqlAudit', () => {
  let db: Database.Database;
  let clock: FakeClock;
  let closed = false;

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec(METADATA_SQL);
    clock = new FakeClock(1_700_000_000_000);
    closed = false;
  });

  afterEach(() => db.close());

  it('exports across page boundaries without losing or repeating an entry', async () => {
    const audit = new SqlAudit(new SqliteExecutor(db, clock, () => closed), 3);
    // Pairs of entries share a timestamp, so some page boundaries fall inside a pair.
    for (let i = 0; i < 10; i++) {
      await audit.append({ at: 1000 + Math.floor(i / 2), actor: `a${i}`, action: 'x', resource: 'r' });
    }
    const lines: string[] = [];
    for await (const line of audit.export()) lines.push(line);
    const actors = lines.map((l) => (JSON.parse(l) as AuditEntry).actor);
    expect(actors).toEqual(['a9', 'a8', 'a7', 'a6', 'a5', 'a4', 'a3', 'a2', 'a1', 'a0']);
  });

  it('stamps an entry with the store clock when it names no time, and refuses a limit that is no number', async () => {
    const audit = new SqlAudit(new SqliteExecutor(db, clock, () => closed));
    await clock.advance(5000);
    expect((await audit.append({ actor: 'a', action: 'x', resource: 'r' })).at).toBe(1_700_000_005_000);
    await expect(audit.query({ limit: Number.NaN })).rejects.toMatchObject({
      code: 'WS_ERR_STORE_INVALID_METADATA',
    });
  });

  it('rejects with WS_ERR_CLOSED once its store is closed', async () => {
    const audit = new SqlAudit(new SqliteExecutor(db, clock, () => closed));
    closed = true;
    await expect(audit.query()).rejects.toMatchObject({ code: 'WS_ERR_CLOSED' });
  });
});
