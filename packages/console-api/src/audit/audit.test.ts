import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '@watershed/common';
import { openEmbeddedStore, type AuditEntry, type Store } from '@watershed/store';
import { buildConsoleApi } from '../app.js';
import { authInject, bearerFor } from '../auth/testing.js';

describe('/api/v1/audit', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let north: ReturnType<typeof authInject>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-api-audit-'));
    store = await openEmbeddedStore({ dir });
    app = await buildConsoleApi({
      store,
      live: { subscribe: () => () => undefined },
      metrics: createMetricsRegistry(),
    });
    for (let i = 0; i < 5; i++) {
      await store.metadata.audit.append({
        at: 1000 + i,
        actor: i % 2 ? 'alice' : 'bob',
        action: 'rule.update',
        resource: `rule:r${i}`,
        project: 'acme/north',
        before: { n: i },
        after: { n: i + 1, note: 'a, "quoted"\nvalue' },
        from: '10.0.0.1',
      });
    }
    await store.metadata.audit.append({
      at: 2000,
      actor: 'sam',
      action: 'rule.delete',
      resource: 'rule:s1',
      project: 'acme/south',
    });
    await store.metadata.audit.append({
      at: 3000,
      actor: 'admin',
      action: 'user.create',
      resource: 'user:u1',
    });
    north = authInject(app, await bearerFor(store, 'engineer', 'acme/north'));
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const page = (res: { json<T>(): T }) => res.json<{ entries: AuditEntry[]; next?: string }>();

  it('is for engineers and above', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const as = authInject(app, await bearerFor(store, role, 'acme/north'));
      expect((await as('/api/v1/audit')).statusCode).toBe(403);
      expect((await as('/api/v1/audit/export')).statusCode).toBe(403);
    }
    expect((await app.inject('/api/v1/audit')).statusCode).toBe(401);
  });

  it('shows a project only its own entries; installation principals all, or one project', async () => {
    const own = page(await north('/api/v1/audit?project=acme/south'));
    expect(own.entries.map((e) => e.resource)).toEqual([
      'rule:r4',
      'rule:r3',
      'rule:r2',
      'rule:r1',
      'rule:r0',
    ]);
    expect(own.entries[0]).toMatchObject({
      actor: 'bob',
      before: { n: 4 },
      after: { n: 5 },
      from: '10.0.0.1',
    });

    const all = authInject(app, await bearerFor(store, 'engineer', '*'));
    expect(
      page(await all('/api/v1/audit'))
        .entries.map((e) => e.actor)
        .slice(0, 2),
    ).toEqual(['admin', 'sam']);
    expect(page(await all('/api/v1/audit?project=acme/south')).entries.map((e) => e.actor)).toEqual(['sam']);
  });

  it('filters by time, actor, action and resource, and pages by cursor', async () => {
    const range = page(await north('/api/v1/audit?from=1001&to=1003'));
    expect(range.entries.map((e) => e.at)).toEqual([1003, 1002, 1001]);
    expect(page(await north('/api/v1/audit?actor=alice')).entries.map((e) => e.resource)).toEqual([
      'rule:r3',
      'rule:r1',
    ]);
    expect(page(await north('/api/v1/audit?resource=rule:r2')).entries).toHaveLength(1);
    expect(page(await north('/api/v1/audit?action=rule.delete')).entries).toHaveLength(0);

    const seen: string[] = [];
    let url = '/api/v1/audit?limit=2';
    for (;;) {
      const p = page(await north(url));
      seen.push(...p.entries.map((e) => e.resource));
      if (!p.next) break;
      url = `/api/v1/audit?limit=2&cursor=${encodeURIComponent(p.next)}`;
    }
    expect(seen).toEqual(['rule:r4', 'rule:r3', 'rule:r2', 'rule:r1', 'rule:r0']);
    expect((await north('/api/v1/audit?limit=0')).statusCode).toBe(400);
  });

  it('exports JSON lines and CSV, with the same filters', async () => {
    const jsonl = await north('/api/v1/audit/export?actor=bob');
    expect(jsonl.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(jsonl.headers['content-disposition']).toBe('attachment; filename="audit.jsonl"');
    const lines = jsonl.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AuditEntry);
    expect(lines.map((e) => e.resource)).toEqual(['rule:r4', 'rule:r2', 'rule:r0']);

    const csv = await north('/api/v1/audit/export?format=csv&to=1000');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row, end] = csv.body.split('\r\n');
    expect(header).toBe('seq,at,time,actor,action,resource,project,from,before,after');
    expect(row).toMatch(
      /^\d+,1000,1970-01-01T00:00:01\.000Z,bob,rule\.update,rule:r0,acme\/north,10\.0\.0\.1,"\{""n"":0\}","\{""n"":1,""note"":""a, \\""quoted\\""\\nvalue""\}"$/,
    );
    expect(end).toBe('');
  });
});
