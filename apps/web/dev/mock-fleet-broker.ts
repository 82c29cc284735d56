import type { IncomingMessage, ServerResponse } from 'node:http';
import { mockFleetConfig, mockPlantConfig, type MockVersion } from './mock-fleet-config.js';
import { json, readBody } from './mock-http.js';

/**
 * The fleet and broker routes (console-api fleet/ and broker/) over in-memory state: three
 * gateways (one online, one stale with a backlog and a device in backoff, one offline whose
 * latest push was refused), and a broker whose rates follow the clock.
 */
export function mockFleetAndBroker(): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
  const t0 = Date.now();
  const dev = (state: string) => ({
    driver: 'modbus-tcp',
    state,
    since: t0 - 600_000,
    requests: 10,
    failures: 0,
    timeouts: 0,
    reconnects: 0,
  });
  const report = (version: number, rows: number, devices: Record<string, ReturnType<typeof dev>>) => ({
    v: 1,
    node: '',
    ts: t0,
    configVersion: version,
    uptimeS: 3600,
    devices,
    groups: {},
    buffer: { rows, bytes: rows * 180, ...(rows > 0 && { oldestTs: t0 - 420_000 }), dropped: 0 },
    uplink: { connected: rows === 0, published: 100, acked: 100, inflight: 0 },
  });
  const gw = (id: string, site: string, node: string, name: string) => ({
    id,
    project: 'city',
    site,
    node,
    name,
    createdAt: t0 - 86_400_000,
    credentialsIssuedAt: t0 - 86_400_000,
  });
  const gateways = new Map([
    [
      'g1',
      {
        ...gw('g1', 'north', 'gw-north-1', 'North pumping station'),
        online: true,
        stale: false,
        lastSeen: t0,
        running: 3,
        report: report(3, 0, { plc1: dev('connected'), flow1: dev('connected') }),
      },
    ],
    [
      'g2',
      {
        ...gw('g2', 'east', 'gw-east-1', 'East reservoir'),
        online: true,
        stale: true,
        lastSeen: t0 - 240_000,
        running: 2,
        report: report(2, 1342, { plc1: dev('connected'), level1: dev('backoff') }),
      },
    ],
    [
      'g3',
      {
        ...gw('g3', 'south', 'gw-south-1', 'South treatment works'),
        online: false,
        stale: false,
        lastSeen: t0 - 7_200_000,
        running: 1,
        report: undefined,
      },
    ],
  ]);
  const config = (port: number, extra?: string) => mockPlantConfig(port, extra);
  const configs = new Map<string, MockVersion[]>([
    [
      'g1',
      [1, 2, 3].map((v) => ({
        version: v,
        createdAt: t0 - (4 - v) * 3_600_000,
        author: 'engineer',
        ack: { ok: true, at: t0 },
        config: config(500 + v, v > 2 ? 'flow1' : undefined),
      })),
    ],
    [
      'g2',
      [1, 2].map((v) => ({
        version: v,
        createdAt: t0 - (3 - v) * 3_600_000,
        author: 'engineer',
        ...(v === 1 && { ack: { ok: true, at: t0 } }),
        config: config(502),
      })),
    ],
    [
      'g3',
      [1, 2].map((v) => ({
        version: v,
        createdAt: t0 - (3 - v) * 3_600_000,
        author: 'engineer',
        ack:
          v === 2
            ? { ok: false, detail: 'WS_ERR_CONFIG_INVALID: devices.1.config.host is missing', at: t0 }
            : { ok: true, at: t0 },
        config: config(502, v === 2 ? 'bad9' : undefined),
      })),
    ],
  ]);
  const flat = (v: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> => {
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) flat(x, prefix === '' ? k : `${prefix}.${k}`, out);
    } else out.set(prefix, v);
    return out;
  };
  const bans = new Map<string, Record<string, unknown>>([
    [
      'b1',
      { id: 'b1', source: 'config', peer: '203.0.113.0/24', reason: 'known scanner', createdBy: 'config' },
    ],
  ]);
  let banSeq = 1;
  const clients = [
    {
      clientId: 'gw-north-1',
      username: 'gw-north-1',
      peer: '10.20.0.11:50122',
      listener: 'mqtts',
      protocolVersion: 5,
      connectedAt: t0 - 3_600_000,
      subscriptions: 3,
      inflight: 0,
      queued: 0,
      bytesIn: 48213004,
      bytesOut: 1202330,
      packetsIn: 96040,
      packetsOut: 12870,
    },
    {
      clientId: 'gw-east-1',
      username: 'gw-east-1',
      peer: '10.20.0.12:40133',
      listener: 'mqtts',
      protocolVersion: 5,
      connectedAt: t0 - 900_000,
      subscriptions: 3,
      inflight: 2,
      queued: 14,
      bytesIn: 12004551,
      bytesOut: 310114,
      packetsIn: 24870,
      packetsOut: 3022,
    },
    {
      clientId: 'watershed-server',
      username: 'server',
      peer: '127.0.0.1:41000',
      listener: 'internal',
      protocolVersion: 5,
      connectedAt: t0 - 86_400_000,
      subscriptions: 6,
      inflight: 0,
      queued: 0,
      bytesIn: 2330118,
      bytesOut: 96551207,
      packetsIn: 41200,
      packetsOut: 190330,
    },
    {
      clientId: 'scada-bridge',
      peer: '10.30.1.4:1883',
      listener: 'plain',
      protocolVersion: 4,
      connectedAt: t0 - 60_000,
      subscriptions: 1,
      inflight: 0,
      queued: 0,
      bytesIn: 88120,
      bytesOut: 1041,
      packetsIn: 940,
      packetsOut: 12,
    },
  ];
  const rate = (ts: number) => ({
    ts,
    clients: clients.length + (Math.floor(ts / 60_000) % 3),
    messagesIn: 400 + 120 * Math.sin(ts / 30_000),
    messagesOut: 800 + 200 * Math.sin(ts / 30_000),
    dropped: ts % 47_000 < 2000 ? 3 : 0,
  });
  const page = <T>(items: T[]) => ({ total: items.length, offset: 0, limit: 200, items });
  const has = (q: string | null, ...xs: (string | undefined)[]) => !q || xs.some((x) => x?.includes(q));

  const fleetConfig = mockFleetConfig(gateways, configs);

  return (req, res, url) => {
    if (fleetConfig(req, res, url)) return;
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const q = url.searchParams;
    const m = /^\/api\/v1\/gateways\/([^/]+)(?:\/(.*))?$/.exec(path);
    const g = m ? gateways.get(decodeURIComponent(m[1]!)) : undefined;
    const view = (x: NonNullable<typeof g>) => ({
      id: x.id,
      project: x.project,
      site: x.site,
      node: x.node,
      name: x.name,
      createdAt: x.createdAt,
      credentialsIssuedAt: x.credentialsIssuedAt,
    });
    const summary = (x: NonNullable<typeof g>) => ({
      online: x.online,
      stale: x.stale,
      lastSeen: x.lastSeen,
      configVersion: x.running,
    });
    const cfgs = (x: NonNullable<typeof g>) => configs.get(x.id) ?? [];
    const notFound = () =>
      json(res, 404, { code: 'WS_ERR_NOT_FOUND', message: `no route ${method} ${path}` });

    if (method === 'GET' && path === '/api/v1/gateways')
      return json(res, 200, {
        items: [...gateways.values()].map((x) => ({ ...view(x), status: summary(x) })),
      });
    if (m && g === undefined)
      return json(res, 404, {
        code: 'WS_ERR_FLEET_GATEWAY_NOT_FOUND',
        message: `gateway "${m[1]}" not found`,
      });
    if (method === 'GET' && g && m?.[2] === undefined) {
      const last = cfgs(g).at(-1);
      return json(res, 200, {
        ...view(g),
        status: {
          ...summary(g),
          ...(g.report && { report: { ...g.report, node: g.node } }),
          ...(last?.ack && {
            lastAck: {
              v: 1,
              node: g.node,
              ts: last.ack.at,
              version: last.version,
              result: last.ack.ok ? 'applied' : 'rejected',
              running: g.running,
              ...(!last.ack.ok && { code: 'WS_ERR_CONFIG_INVALID' }),
            },
          }),
        },
      });
    }
    if (method === 'GET' && g && m?.[2] === 'configs')
      return json(res, 200, {
        items: cfgs(g).map(({ config: _c, ...c }) => ({
          node: g.node,
          checksum: `sha256:${c.version}`,
          ...c,
        })),
      });
    if (method === 'GET' && g && m?.[2] === 'configs/diff') {
      const a = cfgs(g).find((c) => c.version === Number(q.get('from')));
      const b = cfgs(g).find((c) => c.version === Number(q.get('to')));
      if (!a || !b)
        return json(res, 404, { code: 'WS_ERR_FLEET_VERSION_NOT_FOUND', message: 'no such version' });
      const fa = flat(a.config, '', new Map());
      const fb = flat(b.config, '', new Map());
      return json(res, 200, {
        from: a.version,
        to: b.version,
        added: [...fb].filter(([k]) => !fa.has(k)).map(([path, value]) => ({ path, value })),
        removed: [...fa].filter(([k]) => !fb.has(k)).map(([path, value]) => ({ path, value })),
        changed: [...fb]
          .filter(([k, v]) => fa.has(k) && fa.get(k) !== v)
          .map(([path, to]) => ({ path, from: fa.get(path), to })),
      });
    }
    if (method === 'GET' && g && m?.[2] === 'logs') {
      const lines =
        g.id === 'g2'
          ? [
              {
                ts: t0 - 300_000,
                level: 'warn',
                msg: 'device link lost',
                context: { device: 'level1', code: 'WS_ERR_MODBUS_TIMEOUT' },
              },
              {
                ts: t0 - 240_000,
                level: 'error',
                msg: 'uplink publish failed; buffering',
                context: { component: 'uplink' },
              },
            ]
          : [];
      return json(res, 200, { v: 1, node: g.node, ts: t0, lines, dropped: 0 });
    }
    if (method === 'GET' && path === '/api/v1/broker/stats') {
      const now = Math.floor(Date.now() / 1000) * 1000;
      const history = Array.from({ length: 900 }, (_, i) => rate(now - (899 - i) * 1000));
      return json(res, 200, {
        current: {
          clients: clients.length,
          subscriptions: 13,
          retained: 42,
          messagesIn: 1e6,
          messagesOut: 2e6,
          dropped: 12,
          bytesIn: 62_635_793,
          bytesOut: 98_064_691,
          packetsIn: 163_050,
          packetsOut: 206_234,
          bans: bans.size,
          rate: history.at(-1),
        },
        history,
      });
    }
    if (method === 'GET' && path === '/api/v1/broker/clients')
      return json(res, 200, page(clients.filter((c) => has(q.get('q'), c.clientId, c.username, c.peer))));
    if (method === 'GET' && path === '/api/v1/broker/subscriptions') {
      const subs = clients.flatMap((c) => [
        {
          clientId: c.clientId,
          filter: c.username === 'server' ? '$share/ingest/ws/v1/+/+/data/#' : `ws/v1/+/${c.clientId}/cmd/#`,
          ...(c.username === 'server' && { shareGroup: 'ingest' }),
          qos: 1,
          noLocal: false,
          retainAsPublished: false,
          online: true,
        },
      ]);
      return json(res, 200, page(subs.filter((s) => has(q.get('filter'), s.filter))));
    }
    if (method === 'GET' && path === '/api/v1/broker/retained')
      return json(
        res,
        200,
        page(
          [...gateways.values()].map((x) => ({
            topic: `ws/v1/${x.site}/${x.node}/mgmt/status`,
            qos: 1,
            size: 412,
            preview: `{"v":1,"node":"${x.node}","online":${x.online}}`,
            previewEncoding: 'utf8',
            truncated: false,
            clientId: x.node,
            receivedAt: x.lastSeen,
          })),
        ),
      );
    if (method === 'GET' && path === '/api/v1/broker/listeners')
      return json(res, 200, {
        items: [
          { name: 'mqtts', type: 'tls', host: '0.0.0.0', port: 8883, connections: 2 },
          { name: 'plain', type: 'tcp', host: '10.30.0.1', port: 1883, connections: 1 },
          { name: 'internal', type: 'tcp', host: '127.0.0.1', port: 1884, connections: 1 },
        ],
      });
    if (method === 'GET' && path === '/api/v1/broker/bans')
      return json(res, 200, { items: [...bans.values()] });
    const kick = /^\/api\/v1\/broker\/clients\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && kick) {
      const i = clients.findIndex((c) => c.clientId === decodeURIComponent(kick[1]!));
      if (i < 0)
        return json(res, 404, {
          code: 'WS_ERR_BROKER_CLIENT_NOT_FOUND',
          message: 'no connected MQTT client',
        });
      clients.splice(i, 1);
      res.writeHead(204).end();
      return;
    }
    const unban = /^\/api\/v1\/broker\/bans\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && unban) {
      if (bans.get(decodeURIComponent(unban[1]!))?.source !== 'operator')
        return json(res, 404, { code: 'WS_ERR_BROKER_BAN_NOT_FOUND', message: 'no operator ban' });
      bans.delete(decodeURIComponent(unban[1]!));
      res.writeHead(204).end();
      return;
    }
    if (method !== 'POST') return notFound();
    readBody(req).then(
      (raw) => {
        const body = raw as Record<string, unknown>;
        if (path === '/api/v1/gateways') {
          const id = `g${gateways.size + 1}`;
          const x = {
            ...gw(id, String(body.site), String(body.node), String(body.name)),
            online: false,
            stale: false,
            lastSeen: undefined as unknown as number,
            running: 0,
            report: undefined,
          };
          gateways.set(id, x);
          return json(res, 201, {
            gateway: view(x),
            mqtt: {
              username: x.node,
              password: `mock-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`,
            },
          });
        }
        if (g && m?.[2] === 'rollback') {
          const from = cfgs(g).find((c) => c.version === body.version);
          if (!from)
            return json(res, 404, { code: 'WS_ERR_FLEET_VERSION_NOT_FOUND', message: 'no such version' });
          const version = (cfgs(g).at(-1)?.version ?? 0) + 1;
          cfgs(g).push({
            version,
            createdAt: Date.now(),
            author: 'mock',
            ack: { ok: true, at: Date.now() },
            config: from.config,
          });
          g.running = version;
          return json(res, 200, {
            gatewayId: g.id,
            node: g.node,
            version,
            checksum: `sha256:${version}`,
            outcome: 'applied',
          });
        }
        const w = m?.[2] !== undefined ? /^tags\/([^/]+)\/write$/.exec(m[2]) : null;
        if (g && w) {
          const tag = decodeURIComponent(w[1]!);
          if (body.confirm !== true)
            return json(res, 400, { code: 'WS_ERR_FLEET_CONFIRM_REQUIRED', message: 'confirm' });
          if (typeof body.value === 'number' && (body.value < 0 || body.value > 100))
            return json(res, 400, {
              code: 'WS_ERR_FLEET_WRITE_LIMIT',
              message: `value ${body.value} is outside the limits of tag ${tag} [0, 100]`,
            });
          return json(res, 200, {
            v: 1,
            id: 'w1',
            point: `${g.site}.${g.node}.${tag}`,
            ok: true,
            ts: Date.now(),
            readBack: body.value,
          });
        }
        if (path === '/api/v1/broker/bans') {
          const id = `op${banSeq++}`;
          const { durationS, ...rest } = body;
          const ban = {
            id,
            source: 'operator',
            reason: '',
            ...rest,
            createdBy: 'mock',
            createdAt: Date.now(),
            ...(typeof durationS === 'number' && { until: Date.now() + durationS * 1000 }),
          };
          bans.set(id, ban);
          const kicked = clients
            .filter(
              (c) =>
                c.clientId === body.clientId || (body.username !== undefined && c.username === body.username),
            )
            .map((c) => c.clientId);
          return json(res, 201, { ban, kicked });
        }
        notFound();
      },
      () => json(res, 400, { code: 'WS_ERR_BODY', message: 'body is not JSON' }),
    );
  };
}
