import type { IncomingMessage, ServerResponse } from 'node:http';
import { json } from './mock-http.js';

/** A config version as the fleet mock keeps it. */
export interface MockVersion {
  version: number;
  createdAt: number;
  author: string;
  ack?: { ok: boolean; detail?: string; at: number };
  config: unknown;
}

export interface MockGateway {
  id: string;
  site: string;
  node: string;
  online: boolean;
  stale: boolean;
  running: number;
}

/** A Modbus plant's config in the edge's shape (devices → groups → tags), for the editor. */
export function mockPlantConfig(port: number, extraDevice?: string): unknown {
  const ir = (n: number) => `1!3${String(n).padStart(5, '0')}#LL`;
  const device = (name: string, host: string, tags: object[]) => ({
    name,
    driver: 'modbus-tcp',
    config: { host, port },
    groups: [{ name: 'process', intervalMs: 1000, tags }],
  });
  return {
    devices: [
      device('plc1', '10.0.0.5', [
        { name: 'FLOW', address: ir(1), dataType: 'float', unit: 'm3/h', quantity: 'flow', deadband: 0.5 },
        { name: 'PRESS', address: ir(3), dataType: 'float', unit: 'kPa', quantity: 'pressure' },
        {
          name: 'SPEED_SP',
          address: '1!400001#LL',
          dataType: 'float',
          unit: '%',
          writable: true,
          min: 0,
          max: 100,
        },
      ]),
      ...(extraDevice
        ? [device(extraDevice, '10.0.0.9', [{ name: 'TOTAL', address: ir(1), dataType: 'double' }])]
        : []),
    ],
  };
}

const TAG_COLUMNS = ['device', 'group', 'name', 'address', 'dataType', 'scale', 'offset', 'deadband', 'unit'];

type Json = Record<string, unknown>;
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/**
 * The config editor's routes of the fleet mock (console-api fleet/config-routes.ts): one
 * version with its config, push to many (applied when online; a device named `bad…` is
 * rejected as the gateway would; a stale gateway times out and acks 4 s later; an offline one
 * is queued), and the tag CSV (export; import as a new version, the columns above only).
 * Answers whether it handled the request.
 */
export function mockFleetConfig(
  gateways: Map<string, MockGateway>,
  configs: Map<string, MockVersion[]>,
): (req: IncomingMessage, res: ServerResponse, url: URL) => boolean {
  const versions = (id: string) => {
    let v = configs.get(id);
    if (!v) configs.set(id, (v = []));
    return v;
  };
  const push = (g: MockGateway, config: unknown, author: string) => {
    const version = (versions(g.id).at(-1)?.version ?? 0) + 1;
    const entry: MockVersion = { version, createdAt: Date.now(), author, config };
    versions(g.id).push(entry);
    const base = { gatewayId: g.id, node: g.node, version, checksum: `sha256:${version}` };
    const bad = list((config as Json).devices).find((d) => String(d.name).startsWith('bad'));
    const ack = (result: string, extra: object = {}) => ({
      v: 1,
      node: g.node,
      ts: Date.now(),
      version,
      result,
      running: g.running,
      ...extra,
    });
    if (!g.online) return { ...base, outcome: 'queued' };
    if (bad) {
      entry.ack = {
        ok: false,
        detail: `rejected WS_ERR_CONFIG_INVALID: devices.${String(bad.name)}.config.host is missing`,
        at: Date.now(),
      };
      const errors = [{ path: `devices.${String(bad.name)}.config.host`, message: 'is missing' }];
      return {
        ...base,
        outcome: 'rejected',
        ack: ack('rejected', { code: 'WS_ERR_CONFIG_INVALID', errors }),
      };
    }
    if (g.stale) {
      setTimeout(() => {
        entry.ack = { ok: true, detail: 'applied', at: Date.now() };
        g.running = version;
      }, 4000).unref();
      return { ...base, outcome: 'timeout' };
    }
    entry.ack = { ok: true, detail: 'applied', at: Date.now() };
    g.running = version;
    return { ...base, outcome: 'applied', ack: ack('applied', { running: version }) };
  };
  const csvOf = (config: unknown) => {
    const rows = [TAG_COLUMNS.join(',')];
    for (const d of list((config as Json | undefined)?.devices))
      for (const gr of list(d.groups))
        for (const t of list(gr.tags))
          rows.push(
            TAG_COLUMNS.map((c) =>
              String(c === 'device' ? d.name : c === 'group' ? gr.name : (t[c] ?? '')),
            ).join(','),
          );
    return `${rows.join('\r\n')}\r\n`;
  };
  const importCsv = (config: unknown, csv: string): unknown => {
    const [header, ...rows] = csv
      .split(/\r?\n/)
      .filter((l) => l !== '')
      .map((l) => l.split(','));
    const next = structuredClone(config) as Json;
    const groups = new Map<Json, Json[]>();
    for (const cells of rows) {
      const get = (c: string) => cells[header!.indexOf(c)]?.trim() ?? '';
      const group = list(list(next.devices).find((d) => d.name === get('device'))?.groups).find(
        (gr) => gr.name === get('group'),
      );
      if (!group) throw new Error(`no group ${get('device')}.${get('group')}`);
      const tag: Json = { name: get('name'), address: get('address'), dataType: get('dataType') };
      for (const c of ['scale', 'offset', 'deadband']) if (get(c) !== '') tag[c] = Number(get(c));
      if (get('unit') !== '') tag.unit = get('unit');
      groups.set(group, [...(groups.get(group) ?? []), tag]);
    }
    for (const [group, tags] of groups) group.tags = tags;
    return next;
  };

  return (req, res, url) => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/api/v1/configs/push') {
      void readJson(req).then((body) => {
        const targets = (body.gateways as string[]).map((id) => gateways.get(id));
        if (targets.some((g) => g === undefined))
          return json(res, 404, { code: 'WS_ERR_FLEET_GATEWAY_NOT_FOUND', message: 'gateway not found' });
        // The real push waits for the acks; a short pause shows the pending state.
        setTimeout(() => json(res, 200, { results: targets.map((g) => push(g!, body.config, 'mock')) }), 800);
      });
      return true;
    }
    const m = /^\/api\/v1\/gateways\/([^/]+)\/(configs\/(\d+)|tags)$/.exec(path);
    const g = m ? gateways.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !g) return false;
    if (method === 'GET' && m[3] !== undefined) {
      const v = versions(g.id).find((x) => x.version === Number(m[3]));
      if (!v) json(res, 404, { code: 'WS_ERR_FLEET_VERSION_NOT_FOUND', message: 'no such version' });
      else json(res, 200, { node: g.node, checksum: `sha256:${v.version}`, ...v });
      return true;
    }
    if (m[2] === 'tags' && method === 'GET') {
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${g.node}-tags.csv"`,
      });
      res.end(csvOf(versions(g.id).at(-1)?.config));
      return true;
    }
    if (m[2] === 'tags' && method === 'PUT') {
      void readText(req).then((csv) => {
        const latest = versions(g.id).at(-1);
        if (!latest)
          return json(res, 409, { code: 'WS_ERR_FLEET_NO_BASE_CONFIG', message: 'no config to import into' });
        try {
          json(res, 200, push(g, importCsv(latest.config, csv), 'mock'));
        } catch (err) {
          json(res, 400, { code: 'WS_ERR_FLEET_CSV_INVALID', message: (err as Error).message });
        }
      });
      return true;
    }
    return false;
  };
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const text = await readText(req);
  return (text === '' ? {} : JSON.parse(text)) as Json;
}
