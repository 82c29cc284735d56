import { describe, expect, it } from 'vitest';
import { HttpError } from '../alarms/http.js';
import { translator } from '../i18n/translate.js';
import type { ConfigSummary, DeviceReport } from './fleet-api.js';
import {
  backlogText,
  connectivity,
  diffRows,
  lastSeenText,
  linkSummary,
  parseWriteValue,
  versionState,
  writeErrorText,
  writeOutcomeText,
  writeRestatement,
} from './fleet-logic.js';

const cfg = (version: number, ack?: ConfigSummary['ack']): ConfigSummary => ({
  node: 'n1',
  version,
  checksum: 'x',
  author: 'a',
  createdAt: 0,
  ...(ack && { ack }),
});
const dev = (state: DeviceReport['state']): DeviceReport => ({ driver: 'modbus', state, since: 0 });

describe('connectivity', () => {
  it('tells online, stale, offline and never-seen apart', () => {
    expect(connectivity({ online: true, stale: false, lastSeen: 1 })).toBe('online');
    expect(connectivity({ online: true, stale: true, lastSeen: 1 })).toBe('stale');
    expect(connectivity({ online: false, stale: false, lastSeen: 1 })).toBe('offline');
    expect(connectivity({ online: false, stale: false })).toBe('unknown');
    expect(lastSeenText({ online: false, stale: false, lastSeen: 0 }, 125_000)).toBe('2 min ago');
    expect(lastSeenText({ online: false, stale: false }, 1)).toBe('never heard from');
  });
});

describe('versionState', () => {
  it('is in step when the gateway runs the latest version', () => {
    expect(versionState(3, [cfg(2), cfg(3, { ok: true, at: 1 })])).toMatchObject({
      kind: 'in-step',
      latest: 3,
    });
  });
  it('names a refused latest push with its detail', () => {
    const s = versionState(2, [cfg(2), cfg(3, { ok: false, detail: 'device plc9 unknown', at: 1 })]);
    expect(s.kind).toBe('refused');
    expect(s.text).toBe('v2 of v3: refused (device plc9 unknown)');
  });
  it('is pending while the latest push has no ack', () => {
    expect(versionState(2, [cfg(3), cfg(2)]).text).toBe('v2 of v3: not acknowledged yet');
    expect(versionState(undefined, []).kind).toBe('none');
  });
});

describe('linkSummary and backlog', () => {
  it('counts connected devices and names the others, sorted', () => {
    const s = linkSummary({
      devices: { plc2: dev('backoff'), plc1: dev('connected'), a: dev('disconnected') },
    });
    expect(s).toMatchObject({ total: 3, connected: 1, down: ['a', 'plc2'] });
    expect(s.text).toBe('1/3 connected · a disconnected, plc2 backoff');
    expect(linkSummary(undefined).text).toBe('no report');
  });
  it('describes the buffer', () => {
    expect(backlogText({ buffer: { rows: 0, bytes: 0, dropped: 0 } }, 0)).toBe('empty');
    expect(backlogText({ buffer: { rows: 12, bytes: 2048, oldestTs: 0, dropped: 1 } }, 60_000)).toBe(
      '12 msgs · 2.0 KiB · oldest 1 min · 1 dropped',
    );
    expect(backlogText(undefined, 0)).toBe('—');
  });
});

describe('diffRows', () => {
  it('merges added, removed and changed paths in path order', () => {
    const rows = diffRows({
      from: 1,
      to: 2,
      added: [{ path: 'devices.plc2', value: { host: 'h' } }],
      removed: [{ path: 'devices.plc0', value: 1 }],
      changed: [{ path: 'devices.plc1.port', from: 502, to: 503 }],
    });
    expect(rows).toEqual([
      { path: 'devices.plc0', kind: 'removed', from: '1' },
      { path: 'devices.plc1.port', kind: 'changed', from: '502', to: '503' },
      { path: 'devices.plc2', kind: 'added', to: '{"host":"h"}' },
    ]);
  });
});

describe('tag writes', () => {
  it('parses numbers, booleans and quoted text, and refuses the rest', () => {
    expect(parseWriteValue(' 12.5 ')).toEqual({ ok: true, value: 12.5 });
    expect(parseWriteValue('-1e3')).toEqual({ ok: true, value: -1000 });
    expect(parseWriteValue('true')).toEqual({ ok: true, value: true });
    expect(parseWriteValue('"auto"')).toEqual({ ok: true, value: 'auto' });
    expect(parseWriteValue('auto').ok).toBe(false);
    expect(parseWriteValue('').ok).toBe(false);
  });
  it('restates what will be written and where', () => {
    expect(writeRestatement(40, 'pumps.speed_sp', { name: 'North PS', site: 'north', node: 'gw1' })).toBe(
      'Write number 40 to pumps.speed_sp on North PS (north.gw1)? This changes the plant.',
    );
  });
  it('shows the server’s limit refusal rather than a role message', () => {
    const err = new HttpError(
      '/x',
      400,
      'value 900 is outside the limits of tag speed [0, 50]',
      'WS_ERR_FLEET_WRITE_LIMIT',
      {},
    );
    expect(writeErrorText(err)).toBe(
      'Refused, outside the tag’s limits: value 900 is outside the limits of tag speed [0, 50]',
    );
    const ro = new HttpError('/x', 403, 'tag t is not writable', 'WS_ERR_FLEET_READ_ONLY', {});
    expect(writeErrorText(ro)).toMatch(/read-only/);
    expect(writeErrorText(new HttpError('/x', 403, 'no', 'WS_ERR_FORBIDDEN', {}))).toMatch(/operator role/);
  });
  it('words the gateway’s answer', () => {
    expect(writeOutcomeText({ point: 'p', ok: true, ts: 0, readBack: 4 })).toBe('Written to p; read back 4.');
    expect(writeOutcomeText({ point: 'p', ok: false, ts: 0, code: 'WS_ERR_X', message: 'device busy' })).toBe(
      'Refused (WS_ERR_X): device busy.',
    );
  });
});

describe('in Chinese', () => {
  const zh = translator('zh');
  it('words the config version and the device links', () => {
    expect(versionState(2, [cfg(3, { ok: false, detail: 'plc9', at: 1 }), cfg(2)], zh).text).toBe(
      'v2（最新 v3）：被拒绝（plc9）',
    );
    expect(versionState(2, [cfg(3), cfg(2)], zh).text).toBe('v2（最新 v3）：尚未确认');
    // A version is a name: v1234, not the grouped quantity v1,234.
    expect(versionState(1234, [cfg(1234)], zh).text).toBe('v1234（最新）');
    expect(linkSummary({ devices: { plc1: dev('connected'), plc2: dev('backoff') } }, zh).text).toBe(
      '1/2 已连接 · plc2 等待重连',
    );
    expect(lastSeenText({ online: false, stale: false }, 1, zh)).toBe('从未收到消息');
  });
  it('restates a write and words its refusal', () => {
    expect(writeRestatement(40, 'pumps.speed_sp', { name: '北区泵站', site: 'north', node: 'gw1' }, zh)).toBe(
      '将数值 40 写入 北区泵站（north.gw1）的测点 pumps.speed_sp？此操作会改变现场设备状态。',
    );
    const limit = new HttpError('/x', 400, 'value 900 is outside [0, 50]', 'WS_ERR_FLEET_WRITE_LIMIT', {});
    expect(writeErrorText(limit, zh)).toBe('被拒绝，超出该测点的设定值范围：value 900 is outside [0, 50]');
    expect(writeErrorText(new HttpError('/x', 403, 'no', 'WS_ERR_FORBIDDEN', {}), zh)).toContain(
      '写入该测点',
    );
    expect(parseWriteValue('auto', zh)).toEqual({
      ok: false,
      error: '请输入数字、true/false，或用双引号括起的文本。',
    });
  });
});
