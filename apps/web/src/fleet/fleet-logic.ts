import { actionErrorText, HttpError } from '../alarms/http.js';
import { formatAge } from '../format/format.js';
import type { MessageKey } from '../i18n/en.js';
import { tEn, type Translate } from '../i18n/translate.js';
import type {
  ConfigDiff,
  ConfigSummary,
  EdgeReport,
  LinkState,
  SampleValue,
  StatusSummary,
  WriteResult,
} from './fleet-api.js';

export type Connectivity = 'online' | 'stale' | 'offline' | 'unknown';

/** One word for the gateway's link to the cloud: stale = online by its will, but silent too long. */
export function connectivity(s: StatusSummary): Connectivity {
  if (s.online) return s.stale ? 'stale' : 'online';
  return s.lastSeen === undefined ? 'unknown' : 'offline';
}

export function lastSeenText(s: StatusSummary, now: number, t: Translate = tEn): string {
  return s.lastSeen === undefined
    ? t('fleet.lastSeen.never')
    : t('fleet.lastSeen.ago', { age: formatAge(now - s.lastSeen, t) });
}

const CONNECTIVITY_KEY: Record<Connectivity, MessageKey> = {
  online: 'fleet.conn.online',
  stale: 'fleet.conn.stale',
  offline: 'fleet.conn.offline',
  unknown: 'fleet.conn.unknown',
};

/** The connectivity in an operator's words (Online, Stale, Offline, Never seen). */
export function connectivityText(c: Connectivity, t: Translate = tEn): string {
  return t(CONNECTIVITY_KEY[c]);
}

export interface VersionState {
  running: number | undefined;
  latest: number | undefined;
  /** What to show: in step, behind (waiting for an ack), or the latest push refused. */
  kind: 'in-step' | 'pending' | 'refused' | 'none';
  text: string;
}

/**
 * The running config version against the latest pushed one and its ack. A refused latest push
 * matters most (the gateway kept its old config); a missing ack means it has not answered yet.
 */
export function versionState(
  running: number | undefined,
  configs: readonly ConfigSummary[],
  t: Translate = tEn,
): VersionState {
  const latest = configs.reduce<ConfigSummary | undefined>(
    (a, c) => (a === undefined || c.version > a.version ? c : a),
    undefined,
  );
  if (latest === undefined) {
    return {
      running,
      latest: undefined,
      kind: 'none',
      text: running === undefined ? t('fleet.ver.none') : `v${running}`,
    };
  }
  // Versions are passed as text: they are names (v1234), not quantities to group as 1,234.
  const head = t('fleet.ver.head', { running: String(running ?? '?'), latest: String(latest.version) });
  if (latest.ack !== undefined && !latest.ack.ok) {
    return {
      running,
      latest: latest.version,
      kind: 'refused',
      text: latest.ack.detail
        ? t('fleet.ver.refusedDetail', { head, detail: latest.ack.detail })
        : t('fleet.ver.refused', { head }),
    };
  }
  if (running === latest.version)
    return {
      running,
      latest: latest.version,
      kind: 'in-step',
      text: t('fleet.ver.latest', { version: String(running) }),
    };
  return {
    running,
    latest: latest.version,
    kind: 'pending',
    text: t(latest.ack === undefined ? 'fleet.ver.notAcked' : 'fleet.ver.ackedNotRunning', { head }),
  };
}

export interface LinkSummary {
  total: number;
  connected: number;
  /** Device names whose link is not up, sorted. */
  down: string[];
  text: string;
}

const UP: ReadonlySet<LinkState> = new Set(['connected']);

/** "3/4 connected · plc2 backoff" — the devices the gateway polls, from its last report. */
export function linkSummary(
  report: Pick<EdgeReport, 'devices'> | undefined,
  t: Translate = tEn,
): LinkSummary {
  if (report === undefined) return { total: 0, connected: 0, down: [], text: t('fleet.links.noReport') };
  const entries = Object.entries(report.devices).sort(([a], [b]) => a.localeCompare(b));
  const down = entries.filter(([, d]) => !UP.has(d.state));
  const connected = entries.length - down.length;
  const tail = down.map(([name, d]) => `${name} ${t(`fleet.linkState.${d.state}`)}`).join(', ');
  return {
    total: entries.length,
    connected,
    down: down.map(([n]) => n),
    text:
      entries.length === 0
        ? t('fleet.links.noDevices')
        : `${t('fleet.links.connected', { connected, total: entries.length })}${tail ? ` · ${tail}` : ''}`,
  };
}

/** The store-and-forward backlog: what the gateway holds because the uplink could not send it. */
export function backlogText(
  report: Pick<EdgeReport, 'buffer'> | undefined,
  now: number,
  t: Translate = tEn,
): string {
  if (report === undefined) return '—';
  const b = report.buffer;
  if (b.rows === 0)
    return b.dropped > 0 ? t('fleet.backlog.emptyDropped', { dropped: b.dropped }) : t('fleet.backlog.empty');
  const parts = [t('fleet.backlog.msgs', { count: b.rows }), bytesText(b.bytes)];
  if (b.oldestTs !== undefined)
    parts.push(t('fleet.backlog.oldest', { age: formatAge(now - b.oldestTs, t) }));
  if (b.dropped > 0) parts.push(t('fleet.backlog.dropped', { count: b.dropped }));
  return parts.join(' · ');
}

export function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export type DiffKind = 'added' | 'removed' | 'changed';
export interface DiffRow {
  path: string;
  kind: DiffKind;
  from?: string;
  to?: string;
}

/** The server's diff as one list by path, so a device's changes read together. */
export function diffRows(diff: ConfigDiff): DiffRow[] {
  const rows: DiffRow[] = [
    ...diff.added.map((a) => ({ path: a.path, kind: 'added' as const, to: jsonText(a.value) })),
    ...diff.removed.map((r) => ({ path: r.path, kind: 'removed' as const, from: jsonText(r.value) })),
    ...diff.changed.map((c) => ({
      path: c.path,
      kind: 'changed' as const,
      from: jsonText(c.from),
      to: jsonText(c.to),
    })),
  ];
  return rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function jsonText(v: unknown): string {
  return v === undefined ? '' : JSON.stringify(v);
}

/**
 * The value the operator typed, as the type the tag takes: "true"/"false" are booleans, a finite
 * number is a number, and quoted text is a string. Anything else is refused rather than guessed.
 */
export function parseWriteValue(
  text: string,
  t: Translate = tEn,
): { ok: true; value: SampleValue } | { ok: false; error: string } {
  const v = text.trim();
  if (v === '') return { ok: false, error: t('fleet.write.enterValue') };
  if (v === 'true' || v === 'false') return { ok: true, value: v === 'true' };
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(v)) {
    const n = Number(v);
    if (Number.isFinite(n)) return { ok: true, value: n };
  }
  const quoted = /^"(.*)"$/s.exec(v);
  if (quoted) return { ok: true, value: quoted[1]! };
  return { ok: false, error: t('fleet.write.badValue') };
}

/** What the confirm step restates: the value, its type, the tag and the gateway. */
export function writeRestatement(
  value: SampleValue,
  tag: string,
  gateway: { site: string; node: string; name: string },
  t: Translate = tEn,
): string {
  // The value is restated exactly as it will be sent (String, not the locale's grouping), so the
  // operator confirms the digits that reach the PLC.
  const v =
    typeof value === 'string'
      ? t('fleet.write.text', { text: JSON.stringify(value) })
      : t(typeof value === 'number' ? 'fleet.write.number' : 'fleet.write.boolean', { value: String(value) });
  return t('fleet.write.restate', {
    value: v,
    tag,
    gateway: gateway.name,
    site: gateway.site,
    node: gateway.node,
  });
}

/** The gateway's answer to a write, in words: refused writes name the server's reason. */
export function writeOutcomeText(r: WriteResult, t: Translate = tEn): string {
  if (r.ok) {
    return r.readBack !== undefined
      ? t('fleet.write.doneReadBack', { point: r.point, value: String(r.readBack) })
      : t('fleet.write.done', { point: r.point });
  }
  const reason = r.message ?? t('fleet.write.noReason');
  return r.code
    ? t('fleet.write.refusedCode', { code: r.code, reason })
    : t('fleet.write.refused', { reason });
}

/**
 * A refused write in words. The server checks limits, type and writability before anything is
 * sent, and answers with the reason: show it as it is, since a 403 here can mean the tag is
 * read-only rather than that the role is too low.
 */
export function writeErrorText(err: unknown, t: Translate = tEn): string {
  if (err instanceof HttpError && err.code !== undefined && Object.hasOwn(WRITE_REFUSALS, err.code)) {
    return t('fleet.write.refusedWhy', { why: t(WRITE_REFUSALS[err.code]!), message: err.message });
  }
  return actionErrorText(err, t('fleet.do.write'), 'operator', t);
}

const WRITE_REFUSALS: Record<string, MessageKey> = {
  WS_ERR_FLEET_WRITE_LIMIT: 'fleet.refusal.limit',
  WS_ERR_FLEET_WRITE_VALUE: 'fleet.refusal.value',
  WS_ERR_FLEET_READ_ONLY: 'fleet.refusal.readOnly',
  WS_ERR_FLEET_UNKNOWN_TAG: 'fleet.refusal.unknownTag',
  WS_ERR_FLEET_AMBIGUOUS_TAG: 'fleet.refusal.ambiguous',
  WS_ERR_FLEET_OFFLINE: 'fleet.refusal.offline',
  WS_ERR_FLEET_WRITE_TIMEOUT: 'fleet.refusal.timeout',
};
