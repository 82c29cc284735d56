import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditInput } from '../metadata/types.js';
import { T0, type ContractContext } from './fixtures.js';

/** The audit log: append-only, filtered and paged newest first, exported as JSON lines. */
export function describeAuditContract(ctx: ContractContext): void {
  describe('metadata: audit', () => {
    /** Ten entries, one a second; every third by bob, the rest by alice; rules and users alternate. */
    async function seed(): Promise<AuditEntry[]> {
      const out: AuditEntry[] = [];
      for (let i = 0; i < 10; i++) {
        const input: AuditInput = {
          at: T0 + i * 1000,
          actor: i % 3 === 0 ? 'bob' : 'alice',
          action: i % 2 === 0 ? 'rule.update' : 'user.update',
          resource: i % 2 === 0 ? 'rule:r1' : `user:u${i}`,
          project: 'north',
          before: { n: i - 1 },
          after: { n: i },
          from: '10.0.0.7',
        };
        out.push(await ctx.store.metadata.audit.append(input));
      }
      return out;
    }

    it('appends with an increasing seq and keeps who, when, what, before, after and from', async () => {
      const audit = ctx.store.metadata.audit;
      const a = await audit.append({
        at: T0,
        actor: 'alice',
        action: 'rule.create',
        resource: 'rule:r1',
        project: 'north',
        after: { name: 'high level', limits: [1.5, null] },
        from: '192.0.2.10',
      });
      const b = await audit.append({
        actor: 'system',
        action: 'edge.ack',
        resource: 'edge:e1',
        before: null,
      });
      expect(a).toEqual({
        seq: a.seq,
        at: T0,
        actor: 'alice',
        action: 'rule.create',
        resource: 'rule:r1',
        project: 'north',
        after: { name: 'high level', limits: [1.5, null] },
        from: '192.0.2.10',
      });
      expect(b.seq).toBeGreaterThan(a.seq);
      expect(b.at).toBeGreaterThan(T0);
      // A JSON null before is kept as null, not dropped like an absent one.
      expect(b).toMatchObject({ before: null });
      expect('after' in b).toBe(false);
      expect((await audit.query()).entries).toEqual([b, a]);
    });

    it('filters by actor, action, resource, project and time, newest first', async () => {
      const all = await seed();
      const audit = ctx.store.metadata.audit;
      const seqs = async (q: Parameters<typeof audit.query>[0]) =>
        (await audit.query(q)).entries.map((e) => all.findIndex((x) => x.seq === e.seq));
      expect(await seqs({})).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      expect(await seqs({ actor: 'bob' })).toEqual([9, 6, 3, 0]);
      expect(await seqs({ resource: 'rule:r1', actor: 'alice' })).toEqual([8, 4, 2]);
      expect(await seqs({ action: 'user.update', from: T0 + 3000, to: T0 + 7000 })).toEqual([7, 5, 3]);
      expect(await seqs({ project: 'south' })).toEqual([]);
    });

    it('pages with a cursor that is stable while entries are appended', async () => {
      const all = await seed();
      const audit = ctx.store.metadata.audit;
      const first = await audit.query({ limit: 4 });
      expect(first.entries.map((e) => e.seq)).toEqual([9, 8, 7, 6].map((i) => all[i]!.seq));
      // A newer entry, and one at the same `at` as the page boundary, appear meanwhile.
      await audit.append({ at: T0 + 60_000, actor: 'x', action: 'a', resource: 'r' });
      const second = await audit.query({ limit: 4, cursor: first.next! });
      expect(second.entries.map((e) => e.seq)).toEqual([5, 4, 3, 2].map((i) => all[i]!.seq));
      const third = await audit.query({ limit: 4, cursor: second.next! });
      expect(third.entries.map((e) => e.seq)).toEqual([1, 0].map((i) => all[i]!.seq));
      expect(third.next).toBeUndefined();
      await expect(audit.query({ cursor: 'garbage!' })).rejects.toMatchObject({
        code: 'WS_ERR_STORE_INVALID_METADATA',
      });
    });

    it('orders entries with equal timestamps by append order', async () => {
      const audit = ctx.store.metadata.audit;
      const a = await audit.append({ at: T0, actor: 'a', action: 'x', resource: 'r' });
      const b = await audit.append({ at: T0, actor: 'b', action: 'x', resource: 'r' });
      const c = await audit.append({ at: T0, actor: 'c', action: 'x', resource: 'r' });
      const p1 = await audit.query({ limit: 2 });
      const p2 = await audit.query({ limit: 2, cursor: p1.next! });
      expect([...p1.entries, ...p2.entries].map((e) => e.actor)).toEqual([c, b, a].map((e) => e.actor));
    });

    it('exports every matching entry as JSON lines, newest first', async () => {
      const all = await seed();
      const lines: string[] = [];
      for await (const line of ctx.store.metadata.audit.export({ actor: 'alice' })) lines.push(line);
      expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
      const parsed = lines.map((l) => JSON.parse(l) as AuditEntry);
      expect(parsed).toEqual([8, 7, 5, 4, 2, 1].map((i) => all[i]));
    });

    it('offers no way to change or remove an entry', () => {
      const audit = ctx.store.metadata.audit as unknown as Record<string, unknown>;
      for (const verb of ['update', 'delete', 'remove', 'put', 'clear']) expect(audit[verb]).toBeUndefined();
    });
  });
}
