import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '@watershed/common';
import { waitFor } from '@watershed/common/testing';
import { rulesRoutes, sinksRoutes } from '@watershed/console-api';
import { bearerFor, buildTestApi } from '@watershed/console-api/testing';
import { dataTopic, encodeUplink } from '@watershed/model';
import { loadBrokerConfig, startBroker, type RunningBroker } from '@watershed/mqtt-broker';
import { brokerMessageSource } from '@watershed/rule-engine';
import { openEmbeddedStore, type Store } from '@watershed/store';
import type { FastifyInstance } from 'fastify';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerRules, type ServerRules } from '../rules/server-rules.js';
import { startSinkRuntime } from '../sinks.js';
import type { ServerSinkRuntime } from './runtime.js';
import { WebhookPeer } from './test-peer.js';

type Body = Record<string, unknown>;
interface Reply {
  status: number;
  body: Body;
}

/**
 * The sinks API over the server's real composition: an embedded store, the broker on a loopback
 * port feeding the rule engine, the sink runtime, and webhook peers on 127.0.0.1:0. Sinks and
 * rules change only through HTTP; data comes from an mqtt.js device.
 */
describe('sinks managed at runtime through the API', () => {
  let dir: string;
  let store: Store;
  let mqtt: RunningBroker;
  let sinks: ServerSinkRuntime;
  let rules: ServerRules;
  let api: FastifyInstance;
  let auth: string;
  let device: MqttClient;
  const peers: WebhookPeer[] = [];
  let filePeer: WebhookPeer;

  const peer = async () => {
    const p = await new WebhookPeer().start();
    peers.push(p);
    return p;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-sinks-api-'));
    store = await openEmbeddedStore({ dir });
    mqtt = await startBroker(
      loadBrokerConfig({
        value: {
          sysIntervalMs: 0,
          listeners: [{ name: 't', type: 'tcp', host: '127.0.0.1', port: 0, auth: { allowAnonymous: true } }],
        },
        label: 'test',
      }),
    );
    filePeer = await peer();
    sinks = await startSinkRuntime({
      store,
      clock: systemClock,
      logger: silentLogger(),
      dataDir: dir,
      fileSinks: [
        { id: 'from-file', type: 'http', url: filePeer.url, headers: { authorization: 'Bearer f1le' } },
      ],
    });
    rules = await startServerRules({
      source: brokerMessageSource(mqtt.broker, () => Date.now()),
      store,
      sinks: sinks.forRules,
      clock: systemClock,
      logger: silentLogger(),
      dataDir: dir,
    });
    api = await buildTestApi(store, async (app, { access, auditor }) => {
      await app.register(rulesRoutes, { access, auditor, store, runtime: rules.runtime });
      await app.register(sinksRoutes, { access, auditor, store, runtime: sinks });
    });
    auth = await bearerFor(store, 'engineer', 'acme/north');
    device = await connectAsync(`mqtt://127.0.0.1:${mqtt.listeners[0]!.port}`, { clientId: 'gw' });
  });

  afterAll(async () => {
    await device?.endAsync();
    await api?.close();
    await rules?.close();
    await sinks?.close();
    await mqtt?.close();
    await store?.close();
    await Promise.all(peers.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ): Promise<Reply> {
    const res = await api.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: auth },
      ...(payload && { payload }),
    });
    return { status: res.statusCode, body: res.body ? res.json<Body>() : {} };
  }

  async function ok(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object): Promise<Body> {
    const r = await call(method, url, payload);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** A rule sending `{ seq }` of every uplink of `site` to `sink`. */
  const ruleTo = (site: string, sink: string) =>
    ok('POST', '/rules', {
      id: `to-${sink}`,
      name: `to-${sink}`,
      sql: `SELECT payload.seq AS seq FROM "ws/v1/${site}/+/+/data"`,
      actions: [{ type: 'sink', sink }],
    });

  const publish = (site: string, seq: number) =>
    device.publishAsync(
      dataTopic(site, 'gw', 'g'),
      encodeUplink({ v: 1, node: 'gw', group: 'g', ts: 1_000 + seq, seq, values: { flow: seq } }),
      { qos: 1 },
    );

  const seqs = (p: WebhookPeer) => p.rows.map((r) => r['seq'] as number);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('create → rows reach the peer; edit the url under load → the rest reach the new peer, none lost or doubled; delete → the rule reports why', async () => {
    const [a, b] = [await peer(), await peer()];
    const created = await ok('POST', '/sinks', {
      id: 'hook',
      type: 'http',
      config: { url: a.url, headers: { Authorization: 'Bearer s3cret' }, batch: { maxDelayMs: 5 } },
    });
    expect(created).toMatchObject({
      id: 'hook',
      origin: 'api',
      project: 'acme/north',
      enabled: true,
      revision: 1,
      config: { url: a.url, headers: { Authorization: '******' } },
    });
    await ruleTo('s1', 'hook');

    for (const n of range(1, 20)) await publish('s1', n);
    await waitFor(() => a.rows.length === 20, { message: 'rows 1..20 at the first peer' });
    expect(seqs(a)).toEqual(range(1, 20));
    expect(a.headers[0]?.authorization).toBe('Bearer s3cret');

    // The form sends back what GET showed: the masked header keeps the stored secret.
    const shown = await ok('GET', '/sinks/hook');
    const config = { ...(shown['config'] as Body), url: b.url };
    const edit = ok('PUT', '/sinks/hook', { config, revision: shown['revision'] });
    for (const n of range(21, 40)) await publish('s1', n);
    const edited = await edit;
    expect(edited).toMatchObject({
      revision: 2,
      config: { url: b.url, headers: { Authorization: '******' } },
    });
    for (const n of range(41, 60)) await publish('s1', n);

    await waitFor(() => a.rows.length + b.rows.length === 60, { message: 'all 60 rows delivered' });
    const all = [...seqs(a), ...seqs(b)].sort((x, y) => x - y);
    expect(all).toEqual(range(1, 60));
    expect(seqs(b)).toEqual([...seqs(b)].sort((x, y) => x - y)); // order kept across the switch
    expect(seqs(b)).toContain(60);
    expect(b.headers.every((h) => h.authorization === 'Bearer s3cret')).toBe(true);

    const listed = await ok('GET', '/sinks');
    const hook = (listed['items'] as Body[]).find((s) => s['id'] === 'hook')!;
    expect(hook).toMatchObject({ health: { state: 'up' }, rules: ['to-hook'] });

    expect(await ok('DELETE', '/sinks/hook')).toEqual({ discarded: 0 });
    expect((await call('GET', '/sinks/hook')).status).toBe(404);
    await publish('s1', 61);
    const metrics = await waitFor(async () => {
      const m = await ok('GET', '/rules/to-hook/metrics');
      const action = (m['actions'] as Body[])[0]!;
      return action['failed'] === 1 ? action : undefined;
    });
    expect((metrics['lastError'] as Body)['reason']).toMatch(/sink "hook" is not registered/);

    // Every change is in the audit log, secrets masked.
    const page = await store.metadata.audit.query({ resource: 'sink:hook' });
    expect(page.entries.map((e) => e.action)).toEqual(['sink.delete', 'sink.update', 'sink.create']);
    const update = page.entries.find((e) => e.action === 'sink.update')!;
    expect(JSON.stringify(update)).not.toContain('s3cret');
    expect(update.after).toMatchObject({ config: { url: b.url, headers: { Authorization: '******' } } });
  });

  it('rows queued for a peer that is down move to the edited url: the disk queue is handed over', async () => {
    const dead = await peer();
    await dead.stop();
    const live = await peer();
    await ok('POST', '/sinks', {
      id: 'spill',
      type: 'http',
      config: {
        url: dead.url,
        retry: { initialMs: 20, maxMs: 50 },
        closeTimeoutMs: 200,
        batch: { maxDelayMs: 5 },
      },
    });
    await ruleTo('s2', 'spill');
    for (const n of range(1, 5)) await publish('s2', n);
    await waitFor(
      async () => {
        const s = await ok('GET', '/sinks/spill');
        const m = s['metrics'] as Body;
        return (
          (s['health'] as Body)['failures'] !== 0 && (m['queued'] as number) + (m['inflight'] as number) === 5
        );
      },
      { message: 'five rows waiting for the dead peer' },
    );
    const shown = await ok('GET', '/sinks/spill');
    await ok('PUT', '/sinks/spill', { config: { ...(shown['config'] as Body), url: live.url } });
    for (const n of range(6, 8)) await publish('s2', n);
    await waitFor(() => live.rows.length === 8, { message: 'rows 1..8 at the new peer' });
    expect(seqs(live)).toEqual(range(1, 8));
  });

  it('disable makes rules report the sink disabled; enable resumes', async () => {
    const p = await peer();
    await ok('POST', '/sinks', {
      id: 'toggled',
      type: 'http',
      config: { url: p.url, batch: { maxDelayMs: 5 } },
    });
    await ruleTo('s3', 'toggled');
    const off = await ok('POST', '/sinks/toggled/disable');
    expect(off).toMatchObject({ enabled: false, health: { state: 'down', detail: 'disabled' } });
    await publish('s3', 1);
    const action = await waitFor(async () => {
      const m = await ok('GET', '/rules/to-toggled/metrics');
      const a = (m['actions'] as Body[])[0]!;
      return a['failed'] === 1 ? a : undefined;
    });
    expect((action['lastError'] as Body)['reason']).toMatch(/sink "toggled" is disabled/);
    expect(await ok('POST', '/sinks/toggled/enable')).toMatchObject({ enabled: true });
    await publish('s3', 2);
    await waitFor(() => p.rows.length === 1, { message: 'row 2 after enabling' });
    expect(seqs(p)).toEqual([2]);
  });

  it('refuses a config its type rejects, naming each path; nothing is stored', async () => {
    const r = await call('POST', '/sinks', {
      id: 'bad',
      type: 'http',
      config: { url: 'ftp://nope', batch: { maxRows: 0 }, method: 'GET' },
    });
    expect(r.status).toBe(400);
    expect(r.body['code']).toBe('WS_ERR_SINK_INVALID');
    const paths = (r.body['problems'] as { path: string }[]).map((p) => p.path).sort();
    expect(paths).toEqual(['/batch/maxRows', '/method', '/url']);
    expect(r.body['message']).toContain('/url: ');
    const unknown = await call('POST', '/sinks', { id: 'bad', type: 'kafka', config: {} });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('one of: http');
    const reserved = await call('POST', '/sinks', { id: 'store', type: 'tsdb', config: {} });
    expect(reserved.status).toBe(400);
    expect((reserved.body['problems'] as { path: string }[])[0]?.path).toBe('/id');
    expect(await store.metadata.sinks.get('bad')).toBeUndefined();
  });

  it('shows config-file sinks read-only, secrets masked, and says why they cannot change', async () => {
    const file = await ok('GET', '/sinks/from-file');
    expect(file).toMatchObject({
      origin: 'file',
      enabled: true,
      config: { headers: { authorization: '******' } },
    });
    expect(file['project']).toBeUndefined();
    for (const [method, url, body] of [
      ['DELETE', '/sinks/from-file', undefined],
      ['PUT', '/sinks/from-file', { config: { url: filePeer.url } }],
      ['POST', '/sinks/from-file/disable', undefined],
    ] as const) {
      const r = await call(method, url, body);
      expect(r.status, `${method} ${url}`).toBe(409);
      expect(r.body).toMatchObject({ code: 'WS_ERR_SINK_FROM_FILE' });
      expect(r.body['message']).toContain("server's config file");
    }
    const clash = await call('POST', '/sinks', {
      id: 'from-file',
      type: 'http',
      config: { url: filePeer.url },
    });
    expect(clash.status).toBe(409);
  });

  it('tests connectivity: a listening peer passes, a closed port fails with the peer’s error, within the timeout', async () => {
    const p = await peer();
    const good = await ok('POST', '/sinks/test', { type: 'http', config: { url: p.url } });
    expect(good).toMatchObject({ ok: true });
    const dead = await peer();
    await dead.stop();
    const bad = await ok('POST', '/sinks/test', {
      type: 'http',
      config: { url: dead.url },
      timeoutMs: 2_000,
    });
    expect(bad['ok']).toBe(false);
    expect(bad['detail']).toMatch(/ECONNREFUSED/);
    expect(await ok('POST', '/sinks/from-file/test', {})).toMatchObject({ ok: true });
    expect(p.rows).toEqual([]); // a test sends nothing
  });
});
