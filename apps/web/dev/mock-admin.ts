import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, readBody, type MockRoutes } from './mock-http.js';

/**
 * Users, API keys and the audit log (console-api users/ and audit/) over in-memory state, with
 * the logged-in principal an installation admin (`/auth/me`). The refusals the pages explain are
 * reproduced: the last installation admin cannot be demoted or disabled, a name is taken once,
 * a password is at least 10 characters. Every change is audited with before and after, and the
 * audit log pages by cursor and exports as CSV or JSON lines, as the server does.
 */
export const ADMIN_ROUTE = /^\/api\/v1\/(users|api-keys|audit|auth\/me)(\/|$)/;

interface User {
  id: string;
  name: string;
  role: string;
  project: string;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}
interface Key {
  id: string;
  prefix: string;
  name: string;
  role: string;
  project: string;
  createdBy: string;
  createdAt: number;
  expiresAt?: number;
  revokedAt?: number;
}
interface Entry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  resource: string;
  project?: string;
  before?: unknown;
  after?: unknown;
  from?: string;
}

const ROLES = ['viewer', 'operator', 'engineer', 'admin'];
const err = (res: ServerResponse, status: number, code: string, message: string) =>
  json(res, status, { statusCode: status, code, message });

export function mockAdmin(me = { id: 'u1', name: 'admin', role: 'admin', project: '*' }): MockRoutes {
  const t0 = Date.now();
  let nextId = 10;
  const users = new Map<string, User>();
  const keys = new Map<string, Key>();
  const audit: Entry[] = [];
  const user = (id: string, name: string, role: string, project: string, age: number): User => ({
    id,
    name,
    role,
    project,
    mustChangePassword: false,
    disabled: false,
    createdAt: t0 - age,
    updatedAt: t0 - age,
  });
  for (const u of [
    user(me.id, me.name, 'admin', '*', 30 * 86_400_000),
    user('u2', 'lin.wei', 'engineer', 'city/north', 20 * 86_400_000),
    user('u3', 'ops.night', 'operator', 'city/north', 10 * 86_400_000),
  ])
    users.set(u.id, u);
  keys.set('k1', {
    id: 'k1',
    prefix: 'h1st0r1a',
    name: 'SCADA historian export',
    role: 'viewer',
    project: 'city/north',
    createdBy: 'lin.wei',
    createdAt: t0 - 5 * 86_400_000,
  });
  const record = (e: Omit<Entry, 'seq' | 'at' | 'actor' | 'from'> & { at?: number; actor?: string }) =>
    audit.unshift({ seq: audit.length + 1, at: Date.now(), actor: me.name, from: '127.0.0.1', ...e });
  record({ at: t0 - 3_600_000, actor: 'lin.wei', action: 'session.login', resource: 'session:s1' });
  record({ at: t0 - 600_000, action: 'session.login', resource: 'session:s2' });
  // Enough history for a second page.
  for (let i = 0; i < 120; i++)
    record({
      at: t0 - 500_000 + i * 1000,
      actor: 'lin.wei',
      action: 'rule.update',
      resource: 'rule:r1',
      project: 'city/north',
      before: { sql: `SELECT value FROM "ws/v1/north/#" WHERE value > ${i}`, enabled: true },
      after: { sql: `SELECT value FROM "ws/v1/north/#" WHERE value > ${i + 1}`, enabled: true },
    });

  const installAdmins = () =>
    [...users.values()].filter((u) => u.role === 'admin' && u.project === '*' && !u.disabled);

  async function handleUsers(req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
    const [, id, sub] = parts;
    if (id === undefined && req.method === 'GET') return json(res, 200, { items: [...users.values()] });
    if (id === undefined && req.method === 'POST') {
      const b = (await readBody(req)) as { name: string; role: string; project?: string; password?: string };
      if ([...users.values()].some((u) => u.name === b.name))
        return err(res, 409, 'WS_ERR_STORE_DUPLICATE', `user ${b.name} already exists`);
      if (b.password !== undefined && b.password.length < 10)
        return err(res, 400, 'WS_ERR_AUTH_WEAK_PASSWORD', 'password refused: too short');
      const u = user(`u${nextId++}`, b.name, b.role, b.project ?? me.project, 0);
      u.mustChangePassword = true;
      users.set(u.id, u);
      record({ action: 'user.create', resource: `user:${u.id}`, project: u.project, after: u });
      const generated =
        b.password === undefined ? randomBytes(14).toString('base64url').slice(0, 18) : undefined;
      return json(res, 200, { user: u, ...(generated !== undefined && { initialPassword: generated }) });
    }
    const u = id !== undefined ? users.get(id) : undefined;
    if (u === undefined) return err(res, 404, 'WS_ERR_USERS_NOT_FOUND', `user ${id} not found`);
    const before = { ...u };
    if (sub === 'password' && req.method === 'POST') {
      await readBody(req);
      Object.assign(u, { mustChangePassword: true, updatedAt: Date.now() });
      record({
        action: 'user.reset-password',
        resource: `user:${u.id}`,
        project: u.project,
        before,
        after: { ...u },
      });
      return json(res, 200, { user: u, initialPassword: randomBytes(14).toString('base64url').slice(0, 18) });
    }
    if (sub === undefined && req.method === 'PATCH') {
      const patch = (await readBody(req)) as { role?: string; disabled?: boolean; project?: string };
      const next = { ...u, ...patch };
      const wasInstallAdmin = installAdmins().some((a) => a.id === u.id);
      const staysInstallAdmin = next.role === 'admin' && next.project === '*' && !next.disabled;
      if (wasInstallAdmin && !staysInstallAdmin && installAdmins().length === 1)
        return err(
          res,
          409,
          'WS_ERR_USERS_LAST_ADMIN',
          `${u.name} is the last enabled installation-wide admin: make another admin first`,
        );
      Object.assign(u, patch, { updatedAt: Date.now() });
      record({
        action: 'user.update',
        resource: `user:${u.id}`,
        project: u.project,
        before,
        after: { ...u },
      });
      return json(res, 200, u);
    }
    return err(res, 405, 'WS_ERR_METHOD', 'not here');
  }

  async function handleKeys(req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
    const [, id] = parts;
    if (id === undefined && req.method === 'GET') return json(res, 200, { items: [...keys.values()] });
    if (id === undefined && req.method === 'POST') {
      const b = (await readBody(req)) as { name: string; role: string; project?: string; expiresAt?: number };
      if (!ROLES.includes(b.role)) return err(res, 400, 'WS_ERR_VALIDATION', 'role');
      const prefix = randomBytes(6).toString('hex').slice(0, 8);
      const k: Key = {
        id: `k${nextId++}`,
        prefix,
        name: b.name,
        role: b.role,
        project: b.project ?? me.project,
        createdBy: me.name,
        createdAt: Date.now(),
        ...(b.expiresAt !== undefined && { expiresAt: b.expiresAt }),
      };
      keys.set(k.id, k);
      record({ action: 'api-key.create', resource: `api-key:${k.id}`, project: k.project, after: { ...k } });
      return json(res, 200, { apiKey: k, key: `wsk_${prefix}_${randomBytes(24).toString('base64url')}` });
    }
    const k = id !== undefined ? keys.get(id) : undefined;
    if (k === undefined || req.method !== 'DELETE')
      return err(res, 404, 'WS_ERR_USERS_NOT_FOUND', `API key ${id} not found`);
    const before = { ...k };
    k.revokedAt = Date.now();
    record({
      action: 'api-key.revoke',
      resource: `api-key:${k.id}`,
      project: k.project,
      before,
      after: { ...k },
    });
    return json(res, 200, k);
  }

  function handleAudit(res: ServerResponse, url: URL, exporting: boolean): void {
    const q = url.searchParams;
    const num = (k: string) => (q.get(k) !== null ? Number(q.get(k)) : undefined);
    const from = num('from');
    const to = num('to');
    const matching = audit.filter(
      (e) =>
        (q.get('actor') === null || e.actor === q.get('actor')) &&
        (q.get('action') === null || e.action === q.get('action')) &&
        (q.get('resource') === null || e.resource === q.get('resource')) &&
        (from === undefined || e.at >= from) &&
        (to === undefined || e.at <= to),
    );
    const newestFirst = [...matching].sort((a, b) => b.at - a.at || b.seq - a.seq);
    if (exporting) {
      const csv = q.get('format') === 'csv';
      res.writeHead(200, {
        'content-type': csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      });
      if (csv) res.write('seq,at,time,actor,action,resource,project,from,before,after\r\n');
      for (const e of newestFirst) {
        const field = (v: unknown) => (v === undefined ? '' : `"${JSON.stringify(v).replace(/"/g, '""')}"`);
        res.write(
          csv
            ? `${e.seq},${e.at},${new Date(e.at).toISOString()},${e.actor},${e.action},${e.resource},${e.project ?? ''},${e.from ?? ''},${field(e.before)},${field(e.after)}\r\n`
            : `${JSON.stringify(e)}\n`,
        );
      }
      res.end();
      return;
    }
    const limit = num('limit') ?? 100;
    const start = q.get('cursor') !== null ? Number(q.get('cursor')) : 0;
    const page = newestFirst.slice(start, start + limit);
    const more = start + limit < newestFirst.length;
    json(res, 200, { entries: page, ...(more && { next: String(start + limit) }) });
  }

  return (req, res, url) => {
    const path = url.pathname.replace(/^\/api\/v1\//, '');
    if (path === 'auth/me') return json(res, 200, { kind: 'user', user: me, mustChangePassword: false });
    const parts = path.split('/');
    const done = (p: Promise<void>) => p.catch(() => err(res, 500, 'WS_ERR_MOCK', 'mock failed'));
    if (parts[0] === 'users') return void done(handleUsers(req, res, parts));
    if (parts[0] === 'api-keys') return void done(handleKeys(req, res, parts));
    handleAudit(res, url, parts[1] === 'export');
  };
}
