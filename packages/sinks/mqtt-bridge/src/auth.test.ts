import { silentLogger, systemClock } from '@watershed/common';
import { SinkPermanentError } from '@watershed/sink-core';
import mqtt, { type MqttClient } from 'mqtt';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MqttBridgeSinkConfigSchema, type MqttBridgeSinkConfig } from './config.js';
import { MqttBridgeTransport } from './egress-transport.js';
import { MqttBridgeErrors } from './errors.js';
import { startMosquitto, type Mosquitto } from './testing/mosquitto.js';

let broker: Mosquitto;
let checker: MqttClient;
const got: string[] = [];
const open: MqttBridgeTransport[] = [];
const signal = new AbortController().signal;

let aclDir: string;

beforeAll(async () => {
  aclDir = mkdtempSync(join(tmpdir(), 'bridge-acl-'));
  const acl = join(aclDir, 'acl');
  writeFileSync(
    acl,
    ['user plant7', 'topic write office/#', 'user office', 'topic read office/#', ''].join('\n'),
  );
  broker = await startMosquitto({
    users: { plant7: 's3cret', office: 'office-pw' },
    extraConf: [`acl_file ${acl}`],
  });
  checker = await mqtt.connectAsync(broker.url, {
    username: 'office',
    password: 'office-pw',
    reconnectPeriod: 0,
  });
  checker.on('message', (_t, payload) => got.push(payload.toString()));
  await checker.subscribeAsync('office/#', { qos: 1 });
}, 30_000);
afterAll(async () => {
  await checker?.endAsync();
  await broker?.close();
  if (aclDir) rmSync(aclDir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function transport(
  username: string | undefined,
  password: string | undefined,
  protocolVersion: 4 | 5,
): MqttBridgeTransport {
  const config = Value.Default(MqttBridgeSinkConfigSchema, {
    url: broker.url,
    clientId: `auth-${open.length}`,
    protocolVersion,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    connectTimeoutMs: 2000,
  }) as MqttBridgeSinkConfig;
  const t = new MqttBridgeTransport(config, { logger: silentLogger(), clock: systemClock });
  open.push(t);
  return t;
}

describe.each([4, 5] as const)('MqttBridgeTransport with username and password (MQTT %s)', (v) => {
  it('publishes with the right credentials', async () => {
    await transport('plant7', 's3cret', v).send([{ topic: 'office/auth', payload: `ok-${v}` }], signal);
    await expect.poll(() => got).toContain(`ok-${v}`);
  });

  it('is refused, retryably, with a wrong password or none', async () => {
    for (const [user, pw] of [
      ['plant7', 'wrong'],
      [undefined, undefined],
    ] as const) {
      const t = transport(user, pw, v);
      const err = await t.send([{ topic: 'office/auth', payload: 'never' }], signal).catch((e: unknown) => e);
      // Credentials may be fixed at the remote while rows wait: retried, not failed.
      expect(MqttBridgeErrors.CONNECT_FAILED.is(err), (err as Error).message).toBe(true);
      expect(err).not.toBeInstanceOf(SinkPermanentError);
      expect(t.health()).toMatchObject({ state: 'down' });
    }
    expect(got).not.toContain('never');
  });
});

it('fails a batch for good when the remote refuses the topic (MQTT 5 PUBACK 0x87 Not authorized)', async () => {
  const t = transport('plant7', 's3cret', 5);
  const err = await t.send([{ topic: 'elsewhere/x', payload: 'denied' }], signal).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(SinkPermanentError);
  const cause = (err as Error).cause;
  expect(MqttBridgeErrors.PUBLISH_REJECTED.is(cause)).toBe(true);
  expect((cause as { details?: Record<string, unknown> }).details).toMatchObject({ reasonCode: 0x87 });
  // The link stays usable for the next batch.
  await t.send([{ topic: 'office/after-denied', payload: 'after' }], signal);
  await expect.poll(() => got).toContain('after');
});
