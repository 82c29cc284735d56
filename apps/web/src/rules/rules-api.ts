import { requestJson } from '../alarms/http.js';
import { ifMatch, type RuleAction, type RuleProblem, type RuleView } from './rule-logic.js';

const base = '/api/v1/rules';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export interface RuleBody {
  name: string;
  sql: string;
  actions: RuleAction[];
  description?: string;
}

export interface TestContext {
  topic?: string;
  payload?: unknown;
  clientid?: string;
}

export interface RuleTestReply {
  ok: boolean;
  matched: boolean;
  rows: Record<string, unknown>[];
  errors: RuleProblem[];
  actions: { index: number; type: string; effects: Record<string, unknown>[]; problem?: RuleProblem }[];
}

export async function listRules(signal?: AbortSignal): Promise<RuleView[]> {
  return (await requestJson<{ items: RuleView[] }>('GET', base, { ...(signal && { signal }) })).body.items;
}

export async function getRule(id: string): Promise<RuleView> {
  return (await requestJson<RuleView>('GET', one(id))).body;
}

export async function createRule(body: RuleBody): Promise<RuleView> {
  return (await requestJson<RuleView>('POST', base, { body })).body;
}

/** Replaces a rule if nobody changed it since `revision` (409 otherwise). */
export async function updateRule(id: string, revision: number, body: RuleBody): Promise<RuleView> {
  return (await requestJson<RuleView>('PUT', one(id), { body, headers: { 'if-match': ifMatch(revision) } }))
    .body;
}

export async function setRuleEnabled(id: string, enabled: boolean, revision: number): Promise<RuleView> {
  return (
    await requestJson<RuleView>('POST', `${one(id)}/${enabled ? 'enable' : 'disable'}`, {
      headers: { 'if-match': ifMatch(revision) },
    })
  ).body;
}

export async function testRule(
  sql: string,
  actions: RuleAction[],
  context: TestContext,
): Promise<RuleTestReply> {
  return (await requestJson<RuleTestReply>('POST', `${base}/test`, { body: { sql, actions, context } })).body;
}
