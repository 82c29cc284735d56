import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@watershed/common';
import { splitCatalog } from '@watershed/edge-runtime';
import { dataTopic, mgmtTopic, type EdgeStatus, type GroupInfo, type UplinkMessage } from '@watershed/model';
import { openEmbeddedStore, type SampleRow, type Store } from '@watershed/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBroker } from '@watershed/mqtt-broker';
import mqtt from 'mqtt';
import { Ingest, type MessageSource } from './ingest.js';

/** Delivers to subscribers whose filter matches exactly or by a trailing-level wildcard pattern. */
class Source implements MessageSource {
  readonly subs: { filter: string; cb: (m: { topic: string; payload: Buffer }) => Promise<void> }[] = [];
  subscribeDurable(filter: string, cb: (m: { topic: string; payload: Buffer }) => Promise<void>): () => void {
    const s = { filter, cb };
    this.subs.push(s);
    return () => this.subs.splice(this.subs.indexOf(s), 1);
  }
  send(topic: string, payload: unknown): void {
    const buf = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
    for (const s of this.subs) {
      const f = s.filter.split('/');
      const t = topic.split('/');
      // These tests await the writes through `ingest.close()`; the outcomes are the broker's business.
      if (f.length === t.length && f.every((x, i) => x === '+' || x === t[i]))
        void s.cb({ topic, payload: buf }).catch(() => undefined);
    }
  }
}

let dir: string;
let store: Store;
let source: Source;
let ingest: Ingest;
let emitted: SampleRow[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-ingest-'));
  store = await openEmbeddedStore({ dir, flushIntervalMs: 5 });
  source = new Source();
  emitted = [];
  ingest = new Ingest({ source, store, logger: silentLogger(), emit: (rows) => emitted.push(...rows) });
});

afterEach(async () => {
  await ingest.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const msg = (
  seq: number,
  values: UplinkMessage['values'],
  extra: Partial<UplinkMessage> = {},
): UplinkMessage => ({
  v: 1,
  node: 'gw',
  group: 'g',
  ts: 1000 + seq,
  seq,
  values,
  ...extra,
});

describe('Ingest', () => {
  it('registers points from a birth status and stores every sample with its quality', async () => {
    const status: EdgeStatus = {
      v: 1,
      node: 'gw',
      online: true,
      ts: 1,
      groups: [
        {
          name: 'g',
          device: 'plc',
          intervalMs: 1000,
          tags: [{ name: 'flow', dataType: 'float', unit: 'm3/h', quantity: 'flow' }],
        },
      ],
    };
    source.send(mgmtTopic('s', 'gw', 'status'), status);
    source.send(dataTopic('s', 'gw', 'g'), msg(0, { flow: 1.5 }));
    source.send(
      dataTopic('s', 'gw', 'g'),
      msg(1, { flow: null }, { quality: { flow: 'bad' }, errors: { flow: 'WS_ERR_MODBUS_TIMEOUT' } }),
    );
    await ingest.close();
    expect(await store.getPoint('s.gw.g.flow')).toMatchObject({ unit: 'm3/h', quantity: 'flow', node: 'gw' });
    expect(await store.series('s.gw.g.flow', { from: 0, to: 2000 })).toEqual([
      { point: 's.gw.g.flow', ts: 1000, value: 1.5, quality: 'good' },
      { point: 's.gw.g.flow', ts: 1001, value: null, quality: 'bad', reason: 'WS_ERR_MODBUS_TIMEOUT' },
    ]);
    expect(emitted).toHaveLength(2);
  });

  it('registers the points of a catalog sent in parts once every part has come, in any order', async () => {
    const groups: GroupInfo[] = [1, 2, 3].map((g) => ({
      name: `g${g}`,
      device: 'plc',
      intervalMs: 1000,
      tags: Array.from({ length: 1000 }, (_, i) => ({
        name: `t${i}`,
        dataType: 'float' as const,
        unit: 'bar',
      })),
    }));
    const { parts } = splitCatalog(groups, { node: 'big', configVersion: '7', ts: 1, maxBytes: 16 * 1024 });
    expect(parts.length).toBeGreaterThan(3);
    const topic = (i: number): string => `ws/v1/s/big/mgmt/catalog/${i + 1}`;
    // Every part but the first, last first: nothing is registered while one is missing.
    for (let i = parts.length - 1; i >= 1; i--) source.send(topic(i), parts[i]!.toString());
    await ingest.close();
    expect(await store.listPoints({ node: 'big' })).toHaveLength(0);

    ingest = new Ingest({ source, store, logger: silentLogger(), emit: () => undefined });
    for (let i = parts.length - 1; i >= 1; i--) source.send(topic(i), parts[i]!.toString());
    source.send(topic(0), parts[0]!.toString());
    source.send(topic(0), ''); // a cleared retained part is not a malformed one
    await ingest.close();
    const points = await store.listPoints({ node: 'big' });
    expect(points).toHaveLength(3000);
    expect(await store.getPoint('s.big.g3.t999')).toMatchObject({ unit: 'bar', group: 'g3' });
    expect(ingest.stats().invalid).toBe(0);
  });

  it('drops a catalog part that is not one, counted', async () => {
    source.send('ws/v1/s/big/mgmt/catalog/1', { v: 1, node: 'big' });
    await ingest.close();
    expect(ingest.stats().invalid).toBe(1);
  });

  it('counts malformed messages and keeps serving the others', async () => {
    source.send(dataTopic('s', 'gw', 'g'), '{oops');
    source.send(dataTopic('s', 'gw', 'g'), { v: 2, node: 'gw' });
    source.send(mgmtTopic('s', 'gw', 'status'), { online: 'yes' });
    source.send(dataTopic('s', 'gw', 'g'), msg(0, { x: 1 }));
    await ingest.close();
    expect(ingest.stats()).toMatchObject({ invalid: 3, messages: 1, samples: 1 });
    expect((await store.latest(['s.gw.g.x'])).get('s.gw.g.x')?.value).toBe(1);
  });

  it('tracks sequence gaps and replays per group; a replay does not duplicate stored samples', async () => {
    for (const seq of [0, 1, 3, 1]) source.send(dataTopic('s', 'gw', 'g'), msg(seq, { x: seq }));
    await ingest.close();
    expect(ingest.stats().groups['s/gw/g']).toMatchObject({ missing: 1, duplicates: 1 });
    expect(await store.series('s.gw.g.x', { from: 0, to: 5000 })).toHaveLength(3);
  });
});

describe('Ingest behind the real broker', () => {
  /** The store, but its first `failures` sample writes fail as a dead database's would. */
  function flaky(inner: Store, failures: number): Store & { failed: number } {
    let failed = 0;
    return new Proxy(inner, {
      get(target, prop) {
        if (prop === 'failed') return failed;
        if (prop === 'writeSamples')
          return (rows: readonly SampleRow[]) => {
            if (failed < failures) {
              failed++;
              return Promise.reject(new Error('connection to the database lost'));
            }
            return target.writeSamples(rows);
          };
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as Store & { failed: number };
  }

  it("keeps a gateway's message whose store write failed: no ack, resent, stored", async () => {
    const broker = createBroker({ sysIntervalMs: 0 });
    const listener = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
    const failing = flaky(store, 1);
    const served = new Ingest({
      source: broker,
      store: failing,
      logger: silentLogger(),
      emit: () => undefined,
    });
    // MQTT 3.1.1, as the gateway's uplink speaks it: the broker withholds PUBACK and closes, and
    // the client resends the unacknowledged PUBLISH when it reconnects.
    const gateway = await mqtt.connectAsync(`mqtt://127.0.0.1:${listener.port}`, {
      clientId: 'gw',
      reconnectPeriod: 20,
    });
    try {
      // publishAsync resolves on PUBACK, which the broker sends only once the sample is committed.
      await gateway.publishAsync(dataTopic('s', 'gw', 'g'), JSON.stringify(msg(0, { flow: 2.5 })), {
        qos: 1,
      });
      expect(failing.failed).toBe(1);
      expect(await store.series('s.gw.g.flow', { from: 0, to: 2000 })).toEqual([
        { point: 's.gw.g.flow', ts: 1000, value: 2.5, quality: 'good' },
      ]);
      expect(served.stats()).toMatchObject({ writeErrors: 1, messages: 2, samples: 2 });
    } finally {
      await gateway.endAsync(true);
      await served.close();
      await broker.close();
    }
  });

  it('MQTT 5: a failed write answers PUBACK 0x80, and the retry is stored', async () => {
    const broker = createBroker({ sysIntervalMs: 0 });
    const listener = await broker.listenTcp({ host: '127.0.0.1', port: 0 });
    const failing = flaky(store, 1);
    const served = new Ingest({
      source: broker,
      store: failing,
      logger: silentLogger(),
      emit: () => undefined,
    });
    const gateway = await mqtt.connectAsync(`mqtt://127.0.0.1:${listener.port}`, {
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    try {
      const payload = JSON.stringify(msg(0, { flow: 3 }));
      await expect(
        gateway.publishAsync(dataTopic('s', 'gw', 'g'), payload, { qos: 1 }),
      ).rejects.toMatchObject({
        code: 0x80,
      });
      await gateway.publishAsync(dataTopic('s', 'gw', 'g'), payload, { qos: 1 });
      expect((await store.latest(['s.gw.g.flow'])).get('s.gw.g.flow')?.value).toBe(3);
    } finally {
      await gateway.endAsync(true);
      await served.close();
      await broker.close();
    }
  });
});
