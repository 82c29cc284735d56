import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, USER, startInteropBroker, type InteropBroker } from './interop-broker.js';
import { PYTHON, requirePeer, run } from './peers.js';

const PROBE = fileURLToPath(new URL('./paho-client.py', import.meta.url));

interface ProbeResult {
  connack: number | null;
  suback: number[] | null;
  message: { topic: string; payload: string } | null;
  error?: string;
}

let b: InteropBroker;
beforeAll(async () => {
  requirePeer(PYTHON, 'python3');
  const paho = await run(PYTHON, ['-c', 'import paho.mqtt.client']);
  if (paho.code !== 0)
    throw new Error('paho-mqtt is missing for /usr/bin/python3: apt-get install python3-paho-mqtt');
  b = await startInteropBroker();
}, 60_000);
afterAll(async () => {
  await b?.close();
});

async function probe(
  transport: 'tcp' | 'websockets',
  version: 4 | 5,
  user: string,
  password: string,
): Promise<ProbeResult> {
  const port = b.port(transport === 'tcp' ? 'tcp' : 'ws');
  const r = await run(PYTHON, [
    PROBE,
    '127.0.0.1',
    String(port),
    transport,
    String(version),
    user,
    password,
    'interop/paho/#',
    'secret/#',
  ]);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as ProbeResult;
}

describe.each([
  [4, 0x80, 4],
  [5, 0x87, 0x86],
] as const)('Paho (Python), MQTT protocol version %i', (version, subDenied, badLogin) => {
  it.each(['tcp', 'websockets'] as const)(
    'over %s: logs in, is refused a denied filter in SUBACK, gets its own message back',
    async (transport) => {
      const r = await probe(transport, version, USER, PASSWORD);
      expect(r).toEqual({
        connack: 0,
        suback: [1, subDenied],
        message: { topic: 'interop/paho/probe', payload: 'from-paho' },
      });
    },
  );

  it('is refused with a wrong password (CONNACK 4 / 0x86) over WebSocket', async () => {
    const r = await probe('websockets', version, USER, 'wrong');
    expect(r.connack).toBe(badLogin);
    expect(r.suback).toBeNull();
  });
});
