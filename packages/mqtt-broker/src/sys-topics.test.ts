import { FakeClock } from '@watershed/common/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Inbox, startHarness, until, type Harness } from './test-harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('$SYS status topics', () => {
  it('publishes retained broker statistics under $SYS/brokers/{node}/ every interval', async () => {
    const clock = new FakeClock();
    h = await startHarness({ clock, nodeName: 'cloud-1', sysIntervalMs: 5000 });
    const c = await h.connect({ protocolVersion: 5 });
    const everything = await h.connect({ protocolVersion: 5 });
    const allInbox = new Inbox(everything);
    await everything.subscribeAsync('#', { qos: 0 });

    await clock.advance(5000);
    const { client: sub, inbox } = await h.connectWithInbox({ protocolVersion: 5 });
    await sub.subscribeAsync('$SYS/brokers/cloud-1/#', { qos: 0 });
    // retained values arrive at once
    await until(() => inbox.all.some((m) => m.topic.endsWith('/clients/connected')), 'retained $SYS values');
    const value = (suffix: string): string | undefined =>
      inbox.all.findLast((m) => m.topic === `$SYS/brokers/cloud-1/${suffix}`)?.payload.toString();
    expect(value('version')).toMatch(/watershed/);
    expect(value('clients/connected')).toBe('2');
    expect(value('uptime')).toBe('5');

    await c.publishAsync('t', 'x', { qos: 1 });
    await clock.advance(5000);
    await until(() => value('uptime') === '10', 'the next period');
    expect(value('clients/connected')).toBe('3');
    expect(value('messages/received')).toBe('1');
    // '#' does not match $SYS topics [MQTT-4.7.2-1]; it saw only the ordinary message
    expect(allInbox.all.map((m) => m.topic)).toEqual(['t']);
  });

  it('can be turned off', async () => {
    const clock = new FakeClock();
    h = await startHarness({ clock, sysIntervalMs: 0 });
    await clock.advance(60_000);
    expect(h.broker.stats().retained).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
