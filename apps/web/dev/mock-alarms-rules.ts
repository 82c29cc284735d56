import type { IncomingMessage, ServerResponse } from 'node:http';
import { json, readBody } from './mock-http.js';

type Severity = 'critical' | 'major' | 'minor' | 'warning';
interface MockAlarm {
  id: string;
  project: string;
  point: string;
  name: string;
  severity: Severity;
  message: string;
  active: boolean;
  acknowledged: boolean;
  raisedAt?: number;
  acknowledgedBy?: string;
  value?: number;
  changedAt: number;
  shelved?: { by: string; at: number; until: number; reason?: string };
  comments: { at: number; by: string; text: string }[];
  status: string;
}
interface MockRule {
  id: string;
  project: string;
  name: string;
  enabled: boolean;
  revision: number;
  createdAt: number;
  updatedAt: number;
  origin: 'api' | 'config';
  sql: string;
  actions: { type: string; [k: string]: unknown }[];
  description?: string;
  state: 'running' | 'stopped' | 'error';
  metrics: Record<string, number>;
}

/**
 * The alarms and rules routes (console-api alarms/ and rules/) over in-memory state: a few
 * alarms to acknowledge and shelve, a few rules to edit. The rule "validation" only knows that
 * SQL needs SELECT and FROM, enough to show problems with a position. Not the product.
 */
export function mockAlarmsAndRules(): (req: IncomingMessage, res: ServerResponse, url: URL) => void {
  const now = Date.now();
  const isa = (a: MockAlarm): string =>
    a.shelved && a.shelved.until > Date.now()
      ? 'shelved'
      : a.active
        ? a.acknowledged
          ? 'ack-active'
          : 'unack-active'
        : a.acknowledged
          ? 'normal'
          : 'unack-cleared';
  const alarm = (
    id: string,
    point: string,
    severity: Severity,
    name: string,
    limit: number,
    value: number,
    ago: number,
  ): MockAlarm => ({
    id,
    project: 'default',
    point,
    name,
    severity,
    message: `${name}: above ${limit}`,
    active: true,
    acknowledged: false,
    raisedAt: now - ago,
    value,
    changedAt: now - ago,
    comments: [],
    status: 'unack-active',
  });
  const alarms = new Map<string, MockAlarm>(
    [
      alarm(
        'north.p1.speed.high',
        'north.plc1.pumps.p1_speed',
        'critical',
        'Pump 1 overspeed',
        1450,
        1490,
        120_000,
      ),
      alarm(
        'north.p2.power.high',
        'north.plc1.pumps.p2_power',
        'major',
        'Pump 2 power high',
        40,
        42.5,
        900_000,
      ),
      alarm(
        'north.turbidity.high',
        'north.ana1.quality.turbidity',
        'minor',
        'Turbidity high',
        1,
        1.3,
        3_600_000,
      ),
      {
        ...alarm(
          'north.p1.run.stuck',
          'north.plc1.pumps.p1_run',
          'warning',
          'Pump 1 run signal stuck',
          0,
          1,
          7_200_000,
        ),
        active: false,
      },
    ].map((a) => [a.id, { ...a, status: isa(a) }]),
  );
  const limits = new Map(
    [...alarms.values()].map((a) => [a.id, Number(/above (.+)$/.exec(a.message)?.[1] ?? 0)]),
  );
  const history: {
    seq: number;
    alarm: string;
    project: string;
    point: string;
    kind: string;
    at: number;
    event: Record<string, unknown>;
  }[] = [];
  const record = (a: MockAlarm, kind: string, event: Record<string, unknown> = {}): void => {
    history.unshift({
      seq: history.length + 1,
      alarm: a.id,
      project: a.project,
      point: a.point,
      kind,
      at: Date.now(),
      event: { ...event, severity: a.severity, state: a.status },
    });
  };
  for (const a of alarms.values()) record(a, 'raised', { value: a.value });

  const metrics = (m: number) => ({
    matched: m,
    passed: Math.floor(m * 0.9),
    noResult: Math.ceil(m * 0.1),
    failed: 0,
    actionsFailed: 0,
    ratePerSecond: m > 0 ? 2.5 : 0,
  });
  const rules = new Map<string, MockRule>(
    [
      {
        id: 'high-flow',
        name: 'High flow to alerts',
        sql: 'SELECT payload.values.flow AS flow, clientid\nFROM "ws/v1/+/+/+/data"\nWHERE payload.values.flow > 100',
        actions: [{ type: 'republish', topic: 'alerts/${clientid}', qos: 1 }],
        enabled: true,
      },
      {
        id: 'archive',
        name: 'Archive all data',
        sql: 'SELECT *\nFROM "ws/v1/#"',
        actions: [{ type: 'sink', sink: 'store' }],
        enabled: false,
      },
    ].map((r, i) => [
      r.id,
      {
        ...r,
        project: 'default',
        revision: 1,
        createdAt: now,
        updatedAt: now,
        origin: 'api' as const,
        state: r.enabled ? ('running' as const) : ('stopped' as const),
        metrics: metrics(r.enabled ? 1200 * (i + 1) : 0),
      },
    ]),
  );
  const sqlProblems = (sql: string) => {
    const problems = [];
    if (!/^\s*SELECT\b/i.test(sql))
      problems.push({
        code: 'WS_ERR_RULE_SQL',
        message: 'a rule starts with SELECT',
        path: 'sql',
        line: 1,
        column: 1,
        expected: 'SELECT',
      });
    else if (!/\bFROM\b/i.test(sql)) {
      const lines = sql.split('\n');
      problems.push({
        code: 'WS_ERR_RULE_SQL',
        message: 'FROM is missing',
        path: 'sql',
        line: lines.length,
        column: (lines[lines.length - 1]?.length ?? 0) + 1,
        expected: 'FROM "topic/filter"',
      });
    }
    return problems;
  };
  const invalid = (res: ServerResponse, problems: unknown[]) =>
    json(res, 400, { code: 'WS_ERR_RULE_INVALID', message: 'rule cannot run', problems });

  return (req, res, url) => {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/api/v1/alarms/live') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('retry: 2000\n: connected\n\n');
      return;
    }
    if (method === 'GET' && path === '/api/v1/alarms') {
      const items = [...alarms.values()]
        .map((a) => ({ ...a, status: isa(a) }))
        .filter((a) => a.status !== 'normal');
      return json(res, 200, { items });
    }
    if (method === 'GET' && path === '/api/v1/alarms/history')
      return json(res, 200, { entries: history.slice(0, 100) });
    if (method === 'GET' && path === '/api/v1/alarm-rules') {
      return json(res, 200, {
        items: [...alarms.values()].map((a) => ({
          rule: { id: a.id, condition: { kind: 'high', limit: limits.get(a.id) ?? 0 } },
          revision: 1,
          createdAt: now,
          updatedAt: now,
        })),
      });
    }
    if (method === 'GET' && path === '/api/v1/rules') return json(res, 200, { items: [...rules.values()] });
    const oneRule = /^\/api\/v1\/rules\/([^/]+)$/.exec(path);
    if (method === 'GET' && oneRule) {
      const r = rules.get(decodeURIComponent(oneRule[1] ?? ''));
      return r
        ? json(res, 200, r)
        : json(res, 404, { code: 'WS_ERR_RULE_NOT_FOUND', message: 'rule not found' });
    }
    void readBody(req).then(
      (body) => {
        const act = /^\/api\/v1\/alarms\/([^/]+)\/(ack|shelve|unshelve|comments)$/.exec(path);
        if (method === 'POST' && act) {
          const a = alarms.get(decodeURIComponent(act[1] ?? ''));
          if (!a) return json(res, 404, { code: 'WS_ERR_ALARM_NOT_FOUND', message: 'alarm not found' });
          const b = body as { comment?: string; durationMs?: number; reason?: string; text?: string };
          const by = 'operator';
          if (act[2] === 'ack') {
            Object.assign(a, { acknowledged: true, acknowledgedBy: by });
            if (b.comment) a.comments.push({ at: Date.now(), by, text: b.comment });
            record(a, 'acknowledged', { by, comment: b.comment });
          } else if (act[2] === 'shelve') {
            a.shelved = {
              by,
              at: Date.now(),
              until: Date.now() + (b.durationMs ?? 3_600_000),
              ...(b.reason && { reason: b.reason }),
            };
            record(a, 'shelved', { by, until: a.shelved.until, comment: b.reason });
          } else if (act[2] === 'unshelve') {
            delete a.shelved;
            record(a, 'unshelved', { by });
          } else {
            a.comments.push({ at: Date.now(), by, text: b.text ?? '' });
            record(a, 'commented', { by, comment: b.text });
          }
          a.changedAt = Date.now();
          a.status = isa(a);
          return json(res, 200, a);
        }
        if (method === 'POST' && path === '/api/v1/rules/test') {
          const b = body as {
            sql?: string;
            actions?: { type: string }[];
            context?: { payload?: unknown; clientid?: string };
          };
          const errors = sqlProblems(b.sql ?? '');
          const rows =
            errors.length > 0
              ? []
              : [
                  {
                    flow:
                      (b.context?.payload as { values?: { flow?: unknown } } | undefined)?.values?.flow ??
                      null,
                    clientid: b.context?.clientid,
                  },
                ];
          return json(res, 200, {
            ok: errors.length === 0,
            matched: true,
            rows,
            errors,
            actions: (b.actions ?? []).map((a, index) => ({
              index,
              type: a.type,
              effects: rows.map((row) => ({ would: a.type, row })),
            })),
          });
        }
        const write = /^\/api\/v1\/rules(?:\/([^/]+?))?(?:\/(enable|disable))?$/.exec(path);
        if (write && (method === 'POST' || method === 'PUT')) {
          const b = body as Partial<MockRule>;
          const id = write[1] === undefined ? undefined : decodeURIComponent(write[1]);
          const prev = id === undefined ? undefined : rules.get(id);
          if (id !== undefined && !prev)
            return json(res, 404, { code: 'WS_ERR_RULE_NOT_FOUND', message: 'rule not found' });
          const expected = Number(String(req.headers['if-match'] ?? '').replaceAll('"', ''));
          if (prev && req.headers['if-match'] !== undefined && expected !== prev.revision)
            return json(res, 409, {
              code: 'WS_ERR_STORE_CONFLICT',
              message: `rule ${prev.id} is at revision ${prev.revision}`,
            });
          if (write[2] !== undefined && prev) {
            Object.assign(prev, {
              enabled: write[2] === 'enable',
              state: write[2] === 'enable' ? 'running' : 'stopped',
              revision: prev.revision + 1,
              updatedAt: Date.now(),
            });
            return json(res, 200, prev);
          }
          const problems = sqlProblems(b.sql ?? '');
          if (problems.length > 0) return invalid(res, problems);
          const next: MockRule = prev
            ? {
                ...prev,
                name: b.name ?? prev.name,
                sql: b.sql ?? prev.sql,
                actions: b.actions ?? [],
                revision: prev.revision + 1,
                updatedAt: Date.now(),
              }
            : {
                id: (b.name ?? 'rule').toLowerCase().replace(/[^a-z0-9]+/g, '-'),
                project: 'default',
                name: b.name ?? 'rule',
                enabled: true,
                revision: 1,
                createdAt: Date.now(),
                updatedAt: Date.now(),
                origin: 'api',
                sql: b.sql ?? '',
                actions: b.actions ?? [],
                state: 'running',
                metrics: metrics(0),
              };
          if (b.description !== undefined) next.description = b.description;
          else delete next.description;
          rules.set(next.id, next);
          return json(res, prev ? 200 : 201, next);
        }
        json(res, 404, { code: 'WS_ERR_NOT_FOUND', message: `no route ${method} ${path}` });
      },
      () => json(res, 400, { code: 'WS_ERR_BODY', message: 'body is not JSON' }),
    );
  };
}
