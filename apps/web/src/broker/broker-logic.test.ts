import { describe, expect, it } from 'vitest';
import { HttpError } from '../alarms/http.js';
import { translator } from '../i18n/translate.js';
import {
  banBody,
  banTarget,
  banUntilText,
  canRemoveBan,
  isInstallationOnly,
  rateSeries,
  rateText,
  type BanForm,
} from './broker-logic.js';

const form = (f: Partial<BanForm>): BanForm => ({
  clientId: '',
  username: '',
  peer: '',
  reason: '',
  durationS: undefined,
  ...f,
});

describe('isInstallationOnly', () => {
  it('recognises the broker’s project refusal and nothing else', () => {
    const refusal = new HttpError('/api/v1/broker/stats', 403, 'x', 'WS_ERR_BROKER_INSTALLATION_ONLY', {});
    expect(isInstallationOnly(refusal)).toBe(true);
    expect(isInstallationOnly(new HttpError('/x', 403, 'x', 'WS_ERR_FORBIDDEN', {}))).toBe(false);
    expect(isInstallationOnly(new Error('x'))).toBe(false);
  });
});

describe('rateSeries', () => {
  it('orders the history by time and splits it per measure', () => {
    const s = rateSeries([
      { ts: 2000, clients: 3, messagesIn: 5, messagesOut: 7, dropped: 0 },
      { ts: 1000, clients: 2, messagesIn: 1, messagesOut: 2, dropped: 1 },
    ]);
    expect(s.messagesIn).toEqual([
      [1000, 1],
      [2000, 5],
    ]);
    expect(s.clients).toEqual([
      [1000, 2],
      [2000, 3],
    ]);
    expect(s.dropped[0]).toEqual([1000, 1]);
  });
  it('formats rates with sensible precision', () => {
    expect(rateText(1234.4)).toBe('1234');
    expect(rateText(12.34)).toBe('12.3');
    expect(rateText(0.5)).toBe('0.50');
  });
});

describe('banBody', () => {
  it('needs at least one target', () => {
    expect(banBody(form({ reason: 'spam' })).ok).toBe(false);
  });
  it('keeps only the given fields, trimmed, with the duration', () => {
    expect(banBody(form({ clientId: ' plc-7 ', reason: ' flood ', durationS: 3600 }))).toEqual({
      ok: true,
      body: { clientId: 'plc-7', reason: 'flood', durationS: 3600 },
    });
    expect(banBody(form({ username: 'ops' }))).toEqual({ ok: true, body: { username: 'ops' } });
  });
  it('accepts IPv4/IPv6 addresses and CIDR blocks and refuses the rest', () => {
    expect(banBody(form({ peer: '10.0.0.0/8' })).ok).toBe(true);
    expect(banBody(form({ peer: '192.168.1.7' })).ok).toBe(true);
    expect(banBody(form({ peer: 'fd00::/8' })).ok).toBe(true);
    expect(banBody(form({ peer: '10.0.0.0/33' })).ok).toBe(false);
    expect(banBody(form({ peer: '300.1.1.1' })).ok).toBe(false);
    expect(banBody(form({ peer: 'evil.example' })).ok).toBe(false);
  });
});

describe('ban display', () => {
  it('describes the target, the time left and whether it can be removed here', () => {
    expect(banTarget({ clientId: 'c', peer: '10.0.0.0/8' })).toBe('client id c · peer 10.0.0.0/8');
    expect(banUntilText({}, 0)).toBe('permanent');
    expect(banUntilText({ until: 3_600_000 }, 0)).toBe('1 h left');
    expect(banUntilText({ until: 5 }, 10)).toBe('ended');
    expect(canRemoveBan({ source: 'operator' })).toBe(true);
    expect(canRemoveBan({ source: 'config' })).toBe(false);
    expect(canRemoveBan({ source: 'flapping' })).toBe(false);
  });
});

describe('ban display in Chinese', () => {
  const zh = translator('zh');
  it('describes the target, the time left and a bad peer in Chinese', () => {
    expect(banTarget({ clientId: 'c', username: 'ops' }, zh)).toBe('客户端 ID c · 用户 ops');
    expect(banUntilText({}, 0, zh)).toBe('永久');
    expect(banUntilText({ until: 5 }, 10, zh)).toBe('已结束');
    expect(banUntilText({ until: 3_600_000 }, 0, zh)).toBe('剩余 1 小时');
    expect(banBody(form({ peer: 'evil.example' }), zh)).toEqual({
      ok: false,
      error: '“evil.example”不是有效的 IP 地址或 CIDR 网段。',
    });
  });
});
