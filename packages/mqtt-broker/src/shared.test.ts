import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox, startHarness, until, type Harness } from './test-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('shared subscriptions (MQTT 5 §4.8.2)', () => {
  it('spreads messages round-robin within a group, independently of other groups and plain subscribers', async () => {
    const connectMember = async (filter: string, protocolVersion: 4 | 5) => {
      const c = await h.connect({ protocolVersion });
      const inbox = new Inbox(c);
      await c.subscribeAsync(filter, { qos: 1 });
      return inbox;
    };
    const g1a = await connectMember('$share/g1/work/+', 5);
    const g1b = await connectMember('$share/g1/work/+', 4);
    const g2 = await connectMember('$share/g2/work/#', 5);
    const plain = await connectMember('work/+', 5);
    for (let i = 0; i < 6; i++) h.broker.publish({ topic: `work/${i}`, payload: String(i), qos: 1 });
    await until(
      () => g1a.all.length + g1b.all.length === 6 && g2.all.length === 6 && plain.all.length === 6,
      'deliveries',
    );
    expect(g1a.all.map((m) => m.payload.toString())).toEqual(['0', '2', '4']);
    expect(g1b.all.map((m) => m.payload.toString())).toEqual(['1', '3', '5']);
    expect(g1a.all.every((m) => !m.packet.retain)).toBe(true);
  });

  it('supports $queue/ as one implicit group and prefers members that are online', async () => {
    const a = await h.connect({
      protocolVersion: 5,
      clientId: 'qa',
      clean: false,
      properties: { sessionExpiryInterval: 60 },
    });
    await a.subscribeAsync('$queue/jobs', { qos: 1 });
    const b = await h.connect({ protocolVersion: 5, clientId: 'qb' });
    const inbox = new Inbox(b);
    await b.subscribeAsync('$queue/jobs', { qos: 1 });
    await a.endAsync(); // offline but its session (and membership) persists
    await until(() => h.broker.stats().clients === 1, 'qa offline');
    for (let i = 0; i < 4; i++) h.broker.publish({ topic: 'jobs', payload: String(i), qos: 1 });
    await until(() => inbox.all.length === 4, 'all jobs to the online member');
  });

  it('does not send retained messages to a new shared subscription', async () => {
    h.broker.publish({ topic: 'r', payload: 'kept', qos: 1, retain: true });
    const c = await h.connect({ protocolVersion: 5 });
    const inbox = new Inbox(c);
    await c.subscribeAsync('$share/g/r', { qos: 1 });
    await c.subscribeAsync('marker', { qos: 1 });
    h.broker.publish({ topic: 'marker', payload: 'm', qos: 1 });
    expect((await inbox.next()).topic).toBe('marker');
  });

  it('removes a member on UNSUBSCRIBE with the full $share filter', async () => {
    const c = await h.connect({ protocolVersion: 5 });
    await c.subscribeAsync('$share/g/u', { qos: 0 });
    expect(h.broker.stats().subscriptions).toBe(1);
    await c.unsubscribeAsync('$share/g/u');
    expect(h.broker.stats().subscriptions).toBe(0);
  });
});
