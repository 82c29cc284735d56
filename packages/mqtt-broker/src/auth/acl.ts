import { topicMatches } from '../topic/validate.js';
import { filterCovers, filtersIntersect } from './filter-relations.js';
import { compileIpMatcher, type IpMatcher } from './ip-match.js';

export type AclAction = 'publish' | 'subscribe';
export type AclDecision = 'allow' | 'deny';

/** One rule as configured (`acl[]`). */
export interface AclRule {
  readonly permission: AclDecision;
  readonly action: AclAction | 'all';
  /** A topic filter; `%u` stands for the username, `%c` for the client id. */
  readonly topic: string;
  readonly who?: {
    readonly username?: string;
    readonly clientId?: string;
    readonly role?: string;
    readonly ipCidr?: string;
    readonly listener?: string;
  };
}

/** Who is asking, as the ACL sees it. */
export interface AclSubject {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly remoteAddress: string | undefined;
  readonly listener?: string | undefined;
  readonly roles: readonly string[];
}

interface CompiledRule {
  readonly rule: AclRule;
  readonly publish: boolean;
  readonly subscribe: boolean;
  readonly ip: IpMatcher | undefined;
  readonly templated: boolean;
  readonly levels: readonly string[];
}

/**
 * Ordered, first-match access control (the model of Mosquitto's and EMQX's file ACLs): the
 * first rule whose action, subject and topic match decides; when none does, the caller's
 * default (per listener) applies.
 *
 * A PUBLISH topic matches a rule when the rule's filter matches it. A SUBSCRIBE filter matches
 * an allow rule only when the rule covers every topic the filter could match, and a deny rule
 * when the two overlap at all — so `deny secret/#` is not side-stepped by subscribing to `#`.
 * Shared subscriptions are judged by their filter. A placeholder whose value is missing, or
 * holds '/', '+' or '#' (which would widen the rule), makes the rule not match.
 */
export class Acl {
  #rules: readonly CompiledRule[];

  constructor(rules: readonly AclRule[]) {
    this.#rules = rules.map(compile);
  }

  /**
   * Replaces the rules (the console's runtime edits). All are compiled first, then swapped in
   * one assignment: a check in progress finishes on the list it started with, the next one
   * sees the new list. Throws (and keeps the current rules) when a rule is malformed.
   */
  replace(rules: readonly AclRule[]): void {
    this.#rules = rules.map(compile);
  }

  /** First matching rule's decision, or undefined when no rule matches. */
  check(subject: AclSubject, action: AclAction, topicOrFilter: string): AclDecision | undefined {
    const asked = action === 'subscribe' ? stripShare(topicOrFilter) : topicOrFilter;
    let askedLevels: string[] | undefined;
    for (const r of this.#rules) {
      if (action === 'publish' ? !r.publish : !r.subscribe) continue;
      if (!whoMatches(r, subject)) continue;
      const filter = r.templated ? expand(r.rule.topic, subject) : r.rule.topic;
      if (filter === undefined) continue;
      if (action === 'publish') {
        if (topicMatches(filter, asked)) return r.rule.permission;
        continue;
      }
      askedLevels ??= asked.split('/');
      const levels = r.templated ? filter.split('/') : r.levels;
      const hit =
        r.rule.permission === 'allow'
          ? filterCovers(levels, askedLevels)
          : filtersIntersect(levels, askedLevels);
      if (hit) return r.rule.permission;
    }
    return undefined;
  }

  get size(): number {
    return this.#rules.length;
  }
}

/** Checks an ACL rule's ipCidr; returns a reason string when malformed (for config checks). */
export function aclRuleError(rule: AclRule): string | undefined {
  if (rule.who?.ipCidr !== undefined) {
    const m = compileIpMatcher(rule.who.ipCidr);
    if (typeof m === 'string') return m;
  }
  return undefined;
}

function compile(rule: AclRule): CompiledRule {
  let ip: IpMatcher | undefined;
  if (rule.who?.ipCidr !== undefined) {
    const m = compileIpMatcher(rule.who.ipCidr);
    if (typeof m === 'string') throw new TypeError(`ACL ipCidr "${rule.who.ipCidr}": ${m}`);
    ip = m;
  }
  return {
    rule,
    publish: rule.action !== 'subscribe',
    subscribe: rule.action !== 'publish',
    ip,
    templated: rule.topic.includes('%u') || rule.topic.includes('%c'),
    levels: rule.topic.split('/'),
  };
}

function whoMatches(r: CompiledRule, s: AclSubject): boolean {
  const w = r.rule.who;
  if (!w) return true;
  return (
    (w.username === undefined || w.username === s.username) &&
    (w.clientId === undefined || w.clientId === s.clientId) &&
    (w.listener === undefined || w.listener === s.listener) &&
    (w.role === undefined || s.roles.includes(w.role)) &&
    (r.ip === undefined || r.ip(s.remoteAddress))
  );
}

const UNSAFE = /[/+#]/;

function expand(topic: string, s: AclSubject): string | undefined {
  if (topic.includes('%u') && (s.username === undefined || s.username === '' || UNSAFE.test(s.username)))
    return undefined;
  if (topic.includes('%c') && (s.clientId === '' || UNSAFE.test(s.clientId))) return undefined;
  return topic.replaceAll('%u', s.username ?? '').replaceAll('%c', s.clientId);
}

function stripShare(filter: string): string {
  if (filter.startsWith('$share/')) {
    const slash = filter.indexOf('/', 7);
    return slash < 0 ? filter : filter.slice(slash + 1);
  }
  return filter.startsWith('$queue/') ? filter.slice(7) : filter;
}
