import type { FastifyRequest } from 'fastify';
import type { Json, Rule } from '@watershed/store';
import { Value } from 'typebox/value';
import { RuleApiErrors } from './errors.js';
import type { RuleMetricsSnapshot, RuleRuntime, RuleSpec } from './runtime.js';
import { StoredDefinition, type RuleView } from './schemas.js';

/** The definition JSON of a stored rule; a record nobody can read back is reported, not thrown. */
export function storedDefinition(rule: Rule): StoredDefinition | undefined {
  return Value.Check(StoredDefinition, rule.definition) ? rule.definition : undefined;
}

export function toDefinition(
  body: {
    sql: string;
    actions?: RuleSpec['actions'];
    description?: string;
    eventTime?: RuleSpec['eventTime'];
  },
  origin: StoredDefinition['origin'],
): StoredDefinition {
  return {
    sql: body.sql,
    actions: (body.actions ?? []).map((a) => ({ ...a })),
    ...(body.description !== undefined && { description: body.description }),
    ...(body.eventTime !== undefined && { eventTime: { ...body.eventTime } }),
    origin,
  };
}

export function toSpec(id: string, enabled: boolean, def: StoredDefinition): RuleSpec {
  return {
    id,
    sql: def.sql,
    actions: def.actions,
    enabled,
    ...(def.description !== undefined && { description: def.description }),
    ...(def.eventTime !== undefined && { eventTime: def.eventTime }),
  };
}

/** The definition as JSON for the store and the audit log. */
export function asJson(def: StoredDefinition): Json {
  return def;
}

/** What the audit log keeps of a rule: enough to see and undo the change. */
export function auditImage(rule: Rule): Json {
  return {
    name: rule.name,
    enabled: rule.enabled,
    revision: rule.revision,
    definition: rule.definition,
  };
}

const zeroSummary = { matched: 0, passed: 0, noResult: 0, failed: 0, actionsFailed: 0, ratePerSecond: 0 };

export function summary(m: RuleMetricsSnapshot | undefined): RuleView['metrics'] {
  if (!m) return zeroSummary;
  return {
    matched: m.matched,
    passed: m.passed,
    noResult: m.noResult,
    failed: m.failed,
    actionsFailed: m.actions.reduce((n, a) => n + a.failed, 0),
    ratePerSecond: m.ratePerSecond,
  };
}

export function toView(rule: Rule, runtime: RuleRuntime): RuleView {
  const def = storedDefinition(rule);
  const base = {
    id: rule.id,
    project: rule.project,
    name: rule.name,
    enabled: rule.enabled,
    revision: rule.revision,
    createdAt: rule.createdAt,
    updatedAt: rule.updatedAt,
    metrics: summary(runtime.metrics(rule.id)),
  };
  if (!def) {
    return {
      ...base,
      origin: 'api',
      sql: '',
      actions: [],
      state: 'error',
      error: { code: RuleApiErrors.INVALID.code, message: 'the stored definition is not a rule definition' },
    };
  }
  const status = runtime.status(rule.id);
  return {
    ...base,
    origin: def.origin,
    sql: def.sql,
    actions: def.actions,
    ...(def.description !== undefined && { description: def.description }),
    ...(def.eventTime !== undefined && { eventTime: def.eventTime }),
    state: status.state,
    ...(status.state === 'error' && { error: status.error }),
  };
}

/**
 * The revision a change is based on, from `If-Match` (RFC 9110 §13.1.1: an entity tag, here the
 * revision quoted, weak or not) and/or a `revision` body field; undefined when neither is given.
 */
export function expectedRevision(req: FastifyRequest, field?: number): number | undefined {
  const header = req.headers['if-match'];
  let fromHeader: number | undefined;
  if (header !== undefined) {
    const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
    if (!m) throw RuleApiErrors.REVISION_HEADER.create([JSON.stringify(header)]);
    fromHeader = Number(m[1]);
  }
  if (fromHeader !== undefined && field !== undefined && fromHeader !== field) {
    throw RuleApiErrors.REVISION_MISMATCH.create([fromHeader, field]);
  }
  return fromHeader ?? field;
}

/** The ETag of a rule: its revision, so a client can send it back as If-Match. */
export function etag(rule: Rule): string {
  return `"${rule.revision}"`;
}
