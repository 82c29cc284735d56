import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.js';
import { issueText, pushSettled, pushStateClass, pushStateText, type PushState } from './config-text.js';
import type { PushResult } from './fleet-api.js';

const result = (outcome: PushResult['outcome'], extra: Partial<PushResult> = {}): PushResult => ({
  gatewayId: 'g1',
  node: 'gw1',
  version: 4,
  outcome,
  ...extra,
});

describe('push states', () => {
  it('words each stage of a gateway’s part of a push', () => {
    expect(pushStateText({ kind: 'pending' })).toBe('pending: waiting for the gateway’s ack…');
    expect(pushStateText({ kind: 'done', result: result('applied') })).toBe('v4 applied');
    const rejected: PushState = {
      kind: 'done',
      result: result('rejected', {
        ack: {
          version: 4,
          result: 'rejected',
          running: 3,
          code: 'WS_ERR_CONFIG_INVALID',
          errors: [{ path: 'devices.0.groups.0.tags.2.address', message: 'not a Modbus address' }],
          ts: 0,
        },
      }),
    };
    expect(pushStateText(rejected)).toBe(
      'v4 rejected (WS_ERR_CONFIG_INVALID): devices.0.groups.0.tags.2.address: not a Modbus address',
    );
    expect(pushStateClass(rejected)).toBe('push-bad');
  });
  it('follows a push that timed out or was queued until its ack comes', () => {
    const waiting: PushState = { kind: 'done', result: result('timeout') };
    expect(pushSettled(waiting)).toBe(false);
    expect(pushStateText(waiting)).toBe('v4 timed out');
    expect(pushStateClass(waiting)).toBe('push-pending');
    const late: PushState = { ...waiting, late: { ok: true } };
    expect(pushSettled(late)).toBe(true);
    expect(pushStateText(late)).toBe('v4 applied (acknowledged late)');
    expect(pushSettled({ kind: 'done', result: result('queued') })).toBe(false);
    expect(pushSettled({ kind: 'failed', error: 'x' })).toBe(true);
  });
});

describe('issues', () => {
  it('name the path and the problem, in either language', () => {
    const issue = { path: 'devices.0.groups.1.intervalMs', kind: 'interval' as const, value: '5' };
    expect(issueText(issue)).toBe(
      'devices.0.groups.1.intervalMs: poll interval 5 ms: at least 10 ms, whole milliseconds',
    );
    expect(issueText(issue, translator('zh'))).toBe(
      'devices.0.groups.1.intervalMs: 采集周期 5 毫秒无效：至少 10 毫秒，且为整数',
    );
    expect(issueText({ path: '', kind: 'address' })).toBe('an address is required');
  });
});
