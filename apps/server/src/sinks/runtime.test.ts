import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverSinkTypes } from '../sinks.js';
import { ServerSinkRuntime } from './runtime.js';
import { WebhookPeer } from './test-peer.js';

describe('ServerSinkRuntime', () => {
  let dir: string;
  let store: Store;
  let peer: WebhookPeer;
  const open: ServerSinkRuntime[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-sink-runtime-'));
    store = await openEmbeddedStore({ dir });
    peer = await new WebhookPeer().start();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
    await store.close();
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A runtime on the test store; `withStore: false` leaves the tsdb type without a store. */
  const start = async (fileSinks: unknown[] = [], withStore = true) => {
    const rt = await ServerSinkRuntime.start(
      {
        types: serverSinkTypes({ ...(withStore && { store }), clock: systemClock }),
        definitions: store.metadata.sinks,
        deps: { clock: systemClock, logger: silentLogger(), dataDir: dir },
      },
      fileSinks,
    );
    open.push(rt);
    return rt;
  };

  it('starts the stored sinks again after a restart; a stored id the file now uses stays stopped', async () => {
    await store.metadata.sinks.put({
      id: 'kept',
      project: 'p/q',
      type: 'http',
      enabled: true,
      config: { url: peer.url, batch: { maxDelayMs: 5 } },
    });
    await store.metadata.sinks.put({
      id: 'clash',
      project: 'p/q',
      type: 'http',
      enabled: true,
      config: { url: peer.url },
    });
    const rt = await start([{ id: 'clash', type: 'http', url: 'http://127.0.0.1:9/from-file' }]);
    expect(rt.list().map((s) => s.id)).toEqual(['clash', 'kept']);
    expect(rt.fileSinks()).toEqual([
      { id: 'clash', type: 'http', config: { url: 'http://127.0.0.1:9/from-file' } },
    ]);
    await rt.forRules.get('kept')!.write([{ seq: 1 }]);
    await waitFor(() => peer.rows.length === 1, { message: 'row at the peer' });
    await expect(
      rt.apply({ id: 'clash', type: 'http', enabled: true, config: { url: peer.url } }),
    ).rejects.toThrow(/config file/);
  });

  it('names every bad field by its JSON pointer, and the id and type a config may not set', () => {
    return start().then((rt) => {
      const problems = rt.validate({
        id: 'x',
        type: 'http',
        enabled: true,
        config: { url: 'ftp://x', retry: { initialMs: 0 }, id: 'y' },
      });
      expect(problems.map((p) => p.path).sort()).toEqual(['/id', '/retry/initialMs', '/url']);
      expect(problems.find((p) => p.path === '/id')?.message).toBe(
        "no id in config (it is the sink's own id)",
      );
      expect(rt.validate({ id: 'x', type: 'nope', enabled: true, config: {} })[0]).toMatchObject({
        path: '/type',
        message: expect.stringContaining('one of: http') as string,
      });
    });
  });

  it('puts the previous sink back when a replacement cannot be created', async () => {
    const rt = await start([], false);
    await rt.apply({
      id: 'x',
      type: 'http',
      enabled: true,
      config: { url: peer.url, batch: { maxDelayMs: 5 } },
    });
    // The tsdb type has no store in this runtime: its transport refuses to be created.
    await expect(rt.apply({ id: 'x', type: 'tsdb', enabled: true, config: {} })).rejects.toThrow(/no store/);
    expect(rt.get('x')).toMatchObject({ type: 'http', health: { state: 'up' } });
    await rt.forRules.get('x')!.write([{ seq: 2 }]);
    await waitFor(() => peer.rows.length === 1, { message: 'the http sink still delivers' });
  });

  it('deleting discards the queue: a new sink of the same id does not inherit its rows', async () => {
    await peer.stop();
    const rt = await start();
    const spec = {
      id: 'gone',
      type: 'http',
      enabled: true,
      config: {
        url: peer.url,
        closeTimeoutMs: 50,
        retry: { initialMs: 10, maxMs: 20 },
        batch: { maxDelayMs: 1 },
      },
    };
    await rt.apply(spec);
    await rt.forRules.get('gone')!.write([{ seq: 1 }, { seq: 2 }]);
    await waitFor(() => (rt.get('gone')?.health.failures ?? 0) > 0, { message: 'sending fails' });
    expect(await rt.remove('gone')).toEqual({ discarded: 2 });
    expect(existsSync(join(dir, 'sinks', 'gone.db'))).toBe(false);
    expect(rt.forRules.get('gone')).toBeUndefined();
    await rt.apply(spec);
    expect(rt.get('gone')?.metrics).toMatchObject({ matched: 0, recovered: 0 });
  });

  it('a connection test gives up after its timeout on a peer that accepts but never answers, naming it', async () => {
    // A TCP listener that takes the MQTT CONNECT and never sends CONNACK.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const rt = await start();
      const r = await rt.test(
        { id: 'bridge', type: 'mqtt-bridge', config: { url: `mqtt://127.0.0.1:${port}`, clientId: 'probe' } },
        300,
      );
      expect(r.ok).toBe(false);
      expect(r.detail).toBe(`no answer from mqtt://127.0.0.1:${port} within 300 ms`);
      expect(r.ms).toBeGreaterThanOrEqual(290);
      const ok = await rt.test({ id: 'hook', type: 'http', config: { url: peer.url } }, 2_000);
      expect(ok).toMatchObject({ ok: true, detail: expect.stringContaining('connected') as string });
      expect(peer.rows).toEqual([]);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
