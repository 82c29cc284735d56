import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from './outbox.js';

const dirs: string[] = [];
function file(): string {
  const d = mkdtempSync(join(tmpdir(), 'ws-outbox-'));
  dirs.push(d);
  return join(d, 'sub', 'outbox.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Outbox', () => {
  it('hands messages out in order and forgets them once acknowledged', () => {
    const o = new Outbox({ file: ':memory:' });
    for (let i = 0; i < 5; i++) o.append('g', i, 't', Buffer.from(`m${i}`));
    const first = o.peek(0, 3);
    expect(first.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(o.peek(first[2]!.id, 10).map((e) => e.seq)).toEqual([3, 4]);
    o.ack(first[0]!);
    o.ack(first[0]!); // a repeated PUBACK changes nothing
    expect(o.stats()).toEqual({ backlog: 4, backlogBytes: 8, dropped: 0 });
    expect(o.peek(0, 10)[0]?.seq).toBe(1);
    o.close();
  });

  it('removes a batch of acknowledged messages at once, counting only those still there', () => {
    const o = new Outbox({ file: ':memory:' });
    for (let i = 0; i < 6; i++) o.append('g', i, 't', Buffer.from(`m${i}`));
    const sent = o.peek(0, 4);
    o.ackMany([sent[0]!, sent[1]!, sent[3]!]);
    o.ackMany([sent[1]!]); // acked before: no change
    expect(o.stats()).toEqual({ backlog: 3, backlogBytes: 6, dropped: 0 });
    expect(o.peek(0, 10).map((e) => e.seq)).toEqual([2, 4, 5]);
    o.close();
  });

  it('keeps unacknowledged messages and each group seq across a restart', () => {
    const f = file();
    const a = new Outbox({ file: f });
    expect(a.nextSeq('g')).toBe(0);
    a.append('g', 0, 't', Buffer.from('x'));
    a.append('g', 1, 't', Buffer.from('y'));
    a.append('h', 7, 't', Buffer.from('z'));
    a.ack(a.peek(0, 1)[0]!);
    a.close();
    const b = new Outbox({ file: f });
    expect(b.nextSeq('g')).toBe(2);
    expect(b.nextSeq('h')).toBe(8);
    expect(b.stats().backlog).toBe(2);
    expect(b.peek(0, 10).map((e) => e.payload.toString())).toEqual(['y', 'z']);
    b.close();
  });

  it('evicts the oldest messages when full and counts them', () => {
    const o = new Outbox({ file: ':memory:', maxMessages: 3 });
    for (let i = 0; i < 5; i++) o.append('g', i, 't', Buffer.from('ab'));
    expect(o.stats()).toEqual({ backlog: 3, backlogBytes: 6, dropped: 2 });
    expect(o.peek(0, 10).map((e) => e.seq)).toEqual([2, 3, 4]);
    o.close();
  });

  it('reports the time of the oldest waiting message, and upgrades a buffer without that column', () => {
    const f = file();
    mkdirSync(dirname(f), { recursive: true });
    const legacy = new Database(f);
    legacy.exec(`CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, grp TEXT NOT NULL,
      seq INTEGER NOT NULL, topic TEXT NOT NULL, payload BLOB NOT NULL);
      INSERT INTO outbox (grp, seq, topic, payload) VALUES ('g', 0, 't', x'00');`);
    legacy.close();
    const o = new Outbox({ file: f });
    expect(o.report()).toEqual({ backlog: 1, backlogBytes: 1, dropped: 0 }); // old row: no ts
    o.ack(o.peek(0, 1)[0]!);
    o.append('g', 1, 't', Buffer.from('a'), 5000);
    o.append('g', 2, 't', Buffer.from('b'), 6000);
    expect(o.report()).toEqual({ backlog: 2, backlogBytes: 2, dropped: 0, oldestTs: 5000 });
    o.ack(o.peek(0, 1)[0]!);
    expect(o.report().oldestTs).toBe(6000);
    o.close();
  });
});
