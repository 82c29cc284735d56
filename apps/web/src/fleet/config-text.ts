import { tEn, type Translate } from '../i18n/translate.js';
import type { Issue } from './config-model.js';
import type { PushResult } from './fleet-api.js';

/** A validation issue in words: what is wrong, and where (`devices.0.groups.1.tags.2.address`). */
export function issueText(issue: Issue, t: Translate = tEn): string {
  const what = t(`fleet.edit.issue.${issue.kind}`, { value: issue.value ?? '' });
  return issue.path === '' ? what : `${issue.path}: ${what}`;
}

/**
 * One gateway's part of a push, as it stands: `pending` while the push request runs, then the
 * server's outcome; a `timeout` or `queued` outcome is followed until the ack recorded on the
 * version (`ack`) says how it ended.
 */
export type PushState =
  | { kind: 'pending' }
  | { kind: 'done'; result: PushResult; late?: { ok: boolean; detail?: string } }
  | { kind: 'failed'; error: string };

export function pushStateText(s: PushState, t: Translate = tEn): string {
  if (s.kind === 'pending') return t('fleet.push.pending');
  if (s.kind === 'failed') return s.error;
  const { result, late } = s;
  if (late !== undefined) {
    return late.ok
      ? t('fleet.push.lateOk', { version: String(result.version) })
      : t('fleet.push.lateRefused', { version: String(result.version), detail: late.detail ?? '' });
  }
  const outcome = t(`fleet.result.${result.outcome}`);
  const reasons = (result.ack?.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  const code = result.ack?.code ? ` (${result.ack.code})` : '';
  const head = t('fleet.push.outcome', { version: String(result.version), outcome });
  return reasons.length > 0 ? `${head}${code}: ${reasons.join('; ')}` : `${head}${code}`;
}

/** Whether the state is final: applied, refused, failed — or a late ack came. */
export function pushSettled(s: PushState): boolean {
  if (s.kind !== 'done') return s.kind === 'failed';
  return s.late !== undefined || (s.result.outcome !== 'timeout' && s.result.outcome !== 'queued');
}

/** The CSS class of a state: good, bad or waiting. */
export function pushStateClass(s: PushState): string {
  if (s.kind === 'pending') return 'push-pending';
  if (s.kind === 'failed') return 'push-bad';
  if (s.late !== undefined) return s.late.ok ? 'push-ok' : 'push-bad';
  const o = s.result.outcome;
  return o === 'applied' || o === 'ignored'
    ? 'push-ok'
    : o === 'timeout' || o === 'queued'
      ? 'push-pending'
      : 'push-bad';
}
