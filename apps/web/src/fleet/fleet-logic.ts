import { actionErrorText, HttpError } from '../alarms/http.js';
import { formatAge } from '../format/format.js';
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

export function lastSeenText(s: StatusSummary, now: number): string {
  return s.lastSeen === undefined ? 'never heard from' : `${formatAge(now - s.lastSeen)} ago`;
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
export function versionState(running: number | undefined, configs: readonly ConfigSummary[]): VersionState {
  const latest = configs.reduce<ConfigSummary | undefined>(
    (a, c) => (a === undefined || c.version > a.version ? c : a),
    undefined,
  );
  if (latest === undefined) {
    return {
      running,
      latest: undefined,
      kind: 'none',
      text: running === undefined ? 'no config' : `v${running}`,
    };
  }
  const head = `v${running ?? '?'} of v${latest.version}`;
  if (latest.ack !== undefined && !latest.ack.ok) {
    return {
      running,
      latest: latest.version,
      kind: 'refused',
      text: `${head}: refused${latest.ack.detail ? ` (${latest.ack.detail})` : ''}`,
    };
  }
  if (running === latest.version)
    return { running, latest: latest.version, kind: 'in-step', text: `v${running} (latest)` };
  return {
    running,
    latest: latest.version,
    kind: 'pending',
    text: `${head}: ${latest.ack === undefined ? 'not acknowledged yet' : 'acknowledged, not running'}`,
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
export function linkSummary(report: Pick<EdgeReport, 'devices'> | undefined): LinkSummary {
  if (report === undefined) return { total: 0, connected: 0, down: [], text: 'no report' };
  const entries = Object.entries(report.devices).sort(([a], [b]) => a.localeCompare(b));
  const down = entries.filter(([, d]) => !UP.has(d.state));
  const connected = entries.length - down.length;
  const tail = down.map(([name, d]) => `${name} ${d.state}`).join(', ');
  return {
    total: entries.length,
    connected,
    down: down.map(([n]) => n),
    text:
      entries.length === 0
        ? 'no devices'
        : `${connected}/${entries.length} connected${tail ? ` · ${tail}` : ''}`,
  };
}

/** The store-and-forward backlog: what the gateway holds because the uplink could not send it. */
export function backlogText(report: Pick<EdgeReport, 'buffer'> | undefined, now: number): string {
  if (report === undefined) return '—';
  const b = report.buffer;
  if (b.rows === 0) return b.dropped > 0 ? `empty (${b.dropped} dropped)` : 'empty';
  const parts = [`${b.rows} msgs`, bytesText(b.bytes)];
  if (b.oldestTs !== undefined) parts.push(`oldest ${formatAge(now - b.oldestTs)}`);
  if (b.dropped > 0) parts.push(`${b.dropped} dropped`);
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
): { ok: true; value: SampleValue } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'Enter a value.' };
  if (t === 'true' || t === 'false') return { ok: true, value: t === 'true' };
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) {
    const n = Number(t);
    if (Number.isFinite(n)) return { ok: true, value: n };
  }
  const quoted = /^"(.*)"$/s.exec(t);
  if (quoted) return { ok: true, value: quoted[1]! };
  return { ok: false, error: 'Enter a number, true/false, or text in double quotes.' };
}

/** What the confirm step restates: the value, its type, the tag and the gateway. */
export function writeRestatement(
  value: SampleValue,
  tag: string,
  gateway: { site: string; node: string; name: string },
): string {
  const v =
    typeof value === 'string' ? `the text ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
  return `Write ${v} to ${tag} on ${gateway.name} (${gateway.site}.${gateway.node})? This changes the plant.`;
}

/** The gateway's answer to a write, in words: refused writes name the server's reason. */
export function writeOutcomeText(r: WriteResult): string {
  if (r.ok) {
    return r.readBack !== undefined
      ? `Written to ${r.point}; read back ${String(r.readBack)}.`
      : `Written to ${r.point}.`;
  }
  return `Refused${r.code ? ` (${r.code})` : ''}: ${r.message ?? 'the gateway did not say why'}.`;
}

/**
 * A refused write in words. The server checks limits, type and writability before anything is
 * sent, and answers with the reason: show it as it is, since a 403 here can mean the tag is
 * read-only rather than that the role is too low.
 */
export function writeErrorText(err: unknown): string {
  if (err instanceof HttpError && err.code !== undefined) {
    const why = WRITE_REFUSALS[err.code];
    if (why !== undefined) return `${why}: ${err.message}`;
  }
  return actionErrorText(err, 'write the tag', 'operator');
}

const WRITE_REFUSALS: Record<string, string> = {
  WS_ERR_FLEET_WRITE_LIMIT: 'Refused, outside the tag’s limits',
  WS_ERR_FLEET_WRITE_VALUE: 'Refused, wrong type of value',
  WS_ERR_FLEET_READ_ONLY: 'Refused, the tag is read-only',
  WS_ERR_FLEET_UNKNOWN_TAG: 'No such tag',
  WS_ERR_FLEET_AMBIGUOUS_TAG: 'Name the group too',
  WS_ERR_FLEET_OFFLINE: 'Not sent, the gateway is offline',
  WS_ERR_FLEET_WRITE_TIMEOUT: 'No answer from the gateway',
};
