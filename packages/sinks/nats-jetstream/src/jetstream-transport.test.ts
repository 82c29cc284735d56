import { jetstreamManager } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { SinkPermanentError, type SinkRow } from '@watershed/sink-core';
import { Value } from 'typebox/value';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NatsJetStreamSinkConfigSchema, type NatsJetStreamSinkConfig } from './config.js';
import { NatsSinkErrors } from './errors.js';
import { NatsJetStreamTransport } from './jetstream-transport.js';
import { startNatsServer, type NatsServer } from './testing/nats-server.js';
import { readStream } from './testing/stream-reader.js';

let server: NatsServer;
const open: NatsJetStreamTransport[] = [];
const signal = new AbortController().signal;
let streams = 0;

beforeAll(async () => {
  server = await startNatsServer();
}, 30_000);
afterAll(async () => {
  await server?.close();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function transport(
  over: Record<string, unknown> = {},
  stream: Record<string, unknown> = {},
): NatsJetStreamTransport {
  // Streams may not overlap: each test's stream captures its own prefix.
  const name = (stream['name'] as string | undefined) ?? `S${++streams}`;
  const config = Value.Default(NatsJetStreamSinkConfigSchema, {
    servers: [server.url],
    subjectPrefix: name.toLowerCase(),
    stream: { name, ...stream },
    ...over,
  }) as NatsJetStreamSinkConfig;
  const t = new NatsJetStreamTransport(config, { logger: silentLogger(), clock: systemClock });
  open.push(t);
  return t;
}

const uplink = (seq: number, group = 'g1'): SinkRow => ({
  topic: `ws/v1/s1/n1/${group}/data`,
  payload: JSON.stringify({
    v: 1,
    node: 'n1',
    group,
    ts: 1_700_000_000_000 + seq,
    seq,
    values: { flow: seq },
  }),
});

describe('NatsJetStreamTransport against nats-server', () => {
  it('creates the stream with the configured settings', async () => {
    const t = transport(
      { subjectPrefix: 'plant7' },
      {
        retention: 'workqueue',
        storage: 'memory',
        maxAgeMs: 3_600_000,
        maxBytes: 1 << 20,
        maxMsgs: 5000,
        discard: 'new',
        duplicateWindowMs: 60_000,
      },
    );
    await t.open(signal);
    expect(t.health().state).toBe('up');
    const nc = await connect({ servers: server.url });
    try {
      const info = await (await jetstreamManager(nc)).streams.info(`S${streams}`);
      expect(info.config).toMatchObject({
        subjects: ['plant7.>'],
        retention: 'workqueue',
        storage: 'memory',
        max_age: nanos(3_600_000),
        max_bytes: 1 << 20,
        max_msgs: 5000,
        discard: 'new',
        duplicate_window: nanos(60_000),
        num_replicas: 1,
      });
    } finally {
      await nc.close();
    }
  });

  it('updates editable settings of an existing stream and refuses a retention change', async () => {
    await transport({}, { maxMsgs: 10 }).open(signal);
    const name = `S${streams}`;
    await transport({}, { name, maxMsgs: 20 }).open(signal);
    const nc = await connect({ servers: server.url });
    try {
      expect((await (await jetstreamManager(nc)).streams.info(name)).config.max_msgs).toBe(20);
    } finally {
      await nc.close();
    }
    const err = await transport({}, { name, retention: 'interest' })
      .open(signal)
      .catch((e: unknown) => e);
    expect(NatsSinkErrors.STREAM_CONFLICT.is(err)).toBe(true);
  });

  it('stores every row in order on mapped subjects, each with its Nats-Msg-Id', async () => {
    const t = transport({ topic: 'ws/v1/points/${point}' });
    const rows = [
      ...Array.from({ length: 300 }, (_, i) => uplink(i, i % 2 ? 'g1' : 'g.2')),
      { point: 's1.n1.g1.flow', ts: 1_700_000_000_000, value: 1.5, quality: 'good' },
    ];
    await t.send(rows, signal);
    const stored = await readStream(server.url, `S${streams}`);
    expect(stored).toHaveLength(301);
    expect(stored.slice(0, 300).map((m) => (m.json() as { seq: number }).seq)).toEqual(
      Array.from({ length: 300 }, (_, i) => i),
    );
    const p = `s${streams}`;
    expect(stored[0]!.subject).toBe(`${p}.ws.v1.s1.n1.g%2E2.data`);
    expect(stored[1]!.subject).toBe(`${p}.ws.v1.s1.n1.g1.data`);
    expect(stored[300]).toMatchObject({
      subject: `${p}.ws.v1.points.s1%2En1%2Eg1%2Eflow`,
      msgId: 's1.n1.g1.flow@1700000000000',
    });
    expect(new Set(stored.map((m) => m.msgId)).size).toBe(301);
    expect(t.stats).toEqual({ stored: 301, duplicates: 0 });
  });

  it('stores a re-sent batch once: the server drops it by Nats-Msg-Id', async () => {
    const t = transport();
    const batch = Array.from({ length: 200 }, (_, i) => uplink(i));
    await t.send(batch, signal);
    await t.send(batch, signal);
    // A second transport, as after a crash and a replay from the disk queue.
    const again = transport({}, { name: `S${streams}` });
    await again.send(batch.slice(50, 150), signal);
    const stored = await readStream(server.url, `S${streams}`);
    expect(stored.map((m) => (m.json() as { seq: number }).seq)).toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    );
    expect(t.stats).toEqual({ stored: 200, duplicates: 200 });
    expect(again.stats).toEqual({ stored: 0, duplicates: 100 });
  });

  it('creates a memory stream again after a server restart lost it', async () => {
    const t = transport({}, { storage: 'memory' });
    await t.send([uplink(0)], signal);
    await server.kill();
    await server.restart();
    await waitFor(() => t.health().state !== 'down', { message: 'nats.js reconnected' });
    // The first attempt finds no stream (no responders) and fails; the retry ensures it again.
    const first = await t.send([uplink(1)], signal).catch((e: unknown) => e);
    if (first !== undefined) {
      expect(NatsSinkErrors.PUBLISH_FAILED.is(first), (first as Error).message).toBe(true);
      await t.send([uplink(1)], signal);
    }
    const stored = await readStream(server.url, `S${streams}`);
    expect(stored.map((m) => (m.json() as { seq: number }).seq)).toEqual([1]);
  });

  it('fails for good on a subject the stream does not capture', async () => {
    const t = transport({ subjectPrefix: '' }, { subjects: ['ws.v1.>'] });
    const err = await t.send([{ topic: 'other/topic', payload: 'x' }], signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SinkPermanentError);
    expect(NatsSinkErrors.NOT_IN_STREAM.is((err as Error).cause)).toBe(true);
  });
});
