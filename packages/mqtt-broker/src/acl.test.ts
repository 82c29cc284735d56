import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, until, type Harness } from './test-harness.js';
import type { ClientInfo } from './types.js';

/** Each edge node may publish under its own prefix and subscribe only to its own commands. */
const own = (c: ClientInfo, topic: string, kind: 'data' | 'cmd'): boolean =>
  topic.startsWith(`${kind}/${c.clientId}/`);

let h: Harness;
beforeEach(async () => {
  h = await startHarness({
    authorizePublish: (c, topic) => own(c, topic, 'data'),
    authorizeSubscribe: (c, filter) => own(c, filter, 'cmd'),
  });
});
afterEach(async () => {
  await h.close();
});

describe.each([
  [4, 0x80, 0],
  [5, 0x87, 0x87],
] as const)('authorization hooks, MQTT protocol version %i', (protocolVersion, subFail, pubFail) => {
  it('refuses subscriptions outside the ACL in SUBACK', async () => {
    const raw = await h.raw();
    await raw.connect('n1', { protocolVersion });
    raw.send({
      cmd: 'subscribe',
      messageId: 1,
      subscriptions: [
        { topic: 'cmd/n1/#', qos: 1 },
        { topic: 'cmd/n2/#', qos: 1 },
      ],
    });
    expect(await raw.next('SUBACK')).toMatchObject({ granted: [1, subFail] });
  });

  it('acknowledges but does not route a publish outside the ACL', async () => {
    const seen: string[] = [];
    h.broker.subscribe('#', (m) => seen.push(m.topic));
    const raw = await h.raw();
    await raw.connect('n1', { protocolVersion });
    raw.send({
      cmd: 'publish',
      topic: 'data/n2/x',
      payload: Buffer.from('no'),
      qos: 1,
      messageId: 5,
      retain: false,
      dup: false,
    });
    const ack = await raw.next('PUBACK');
    expect(ack).toMatchObject({ cmd: 'puback', messageId: 5 });
    if (pubFail) expect(ack).toMatchObject({ reasonCode: pubFail });
    raw.send({
      cmd: 'publish',
      topic: 'data/n1/x',
      payload: Buffer.from('yes'),
      qos: 1,
      messageId: 6,
      retain: false,
      dup: false,
    });
    await until(() => seen.length === 1, 'the allowed publish');
    expect(seen).toEqual(['data/n1/x']);
  });

  it('refuses a CONNECT whose will topic is outside the ACL', async () => {
    const raw = await h.raw();
    const reply = await raw.connect('n1', {
      protocolVersion,
      will: { topic: 'data/n2/status', payload: Buffer.from('x'), qos: 0, retain: false },
    });
    expect(reply).toMatchObject(protocolVersion === 5 ? { reasonCode: 0x87 } : { returnCode: 5 });
    await raw.waitClosed();
  });
});
