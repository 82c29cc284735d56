import { HttpError, requestJson } from '../alarms/http.js';
import { UNAUTHENTICATED_EVENT } from '../auth/session-context.js';

/** The shapes of console-api fleet/schemas.ts, as the page reads them. */

export type LinkState = 'connecting' | 'connected' | 'disconnected' | 'backoff' | 'closed';

export interface DeviceReport {
  driver: string;
  state: LinkState;
  since: number;
  lastError?: { code: string; message: string; at: number };
  /** Poll statistics of the device's link (model DeviceReport); absent in older reports. */
  requests?: number;
  failures?: number;
  timeouts?: number;
  reconnects?: number;
  lastRttMs?: number;
}

/** One tag group's polling, as the gateway reports it (model GroupReport). */
export interface GroupReport {
  device: string;
  intervalMs: number;
  polls: number;
  errors: number;
  overruns: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  lastDurationMs?: number;
  lastPollAt?: number;
}

export interface EdgeReport {
  ts: number;
  configVersion: number;
  uptimeS: number;
  devices: Record<string, DeviceReport>;
  groups?: Record<string, GroupReport>;
  buffer: { rows: number; bytes: number; oldestTs?: number; dropped: number };
  uplink: { connected: boolean };
}

export interface ConfigAck {
  version: number;
  result: 'applied' | 'rejected' | 'rolled-back' | 'ignored';
  running: number;
  code?: string;
  errors?: { path?: string; message: string }[];
  ts: number;
}

export interface Gateway {
  id: string;
  project: string;
  site: string;
  node: string;
  name: string;
  createdAt: number;
  credentialsIssuedAt: number;
  credentialsRevokedAt?: number;
}

export interface StatusSummary {
  online: boolean;
  stale: boolean;
  lastSeen?: number;
  configVersion?: number;
}

export interface LiveStatus extends StatusSummary {
  statusAt?: number;
  report?: EdgeReport;
  lastAck?: ConfigAck;
}

export type GatewayRow = Gateway & { status: StatusSummary };
export type GatewayDetail = Gateway & { status: LiveStatus };

export interface ConfigSummary {
  node: string;
  version: number;
  checksum: string;
  author: string;
  createdAt: number;
  ack?: { ok: boolean; detail?: string; at: number };
}

export interface ConfigDiff {
  from: number;
  to: number;
  added: { path: string; value: unknown }[];
  removed: { path: string; value: unknown }[];
  changed: { path: string; from: unknown; to: unknown }[];
}

export interface PushResult {
  gatewayId: string;
  node: string;
  version: number;
  checksum?: string;
  outcome: 'applied' | 'rejected' | 'rolled-back' | 'ignored' | 'timeout' | 'queued';
  ack?: ConfigAck;
}

export interface LogLine {
  ts: number;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
  context?: Record<string, string>;
}

export interface LogTail {
  ts: number;
  lines: LogLine[];
  dropped: number;
}

export type SampleValue = number | boolean | string;

export interface WriteResult {
  point: string;
  ok: boolean;
  ts: number;
  code?: string;
  message?: string;
  readBack?: SampleValue;
}

export interface Credentials {
  gateway: Gateway;
  mqtt: { username: string; password: string };
}

const base = '/api/v1/gateways';
const gw = (id: string) => `${base}/${encodeURIComponent(id)}`;
const sig = (signal?: AbortSignal) => (signal ? { signal } : {});

export async function listGateways(signal?: AbortSignal): Promise<GatewayRow[]> {
  return (await requestJson<{ items: GatewayRow[] }>('GET', base, sig(signal))).body.items;
}

export async function gatewayDetail(id: string, signal?: AbortSignal): Promise<GatewayDetail> {
  return (await requestJson<GatewayDetail>('GET', gw(id), sig(signal))).body;
}

export async function gatewayConfigs(id: string, signal?: AbortSignal): Promise<ConfigSummary[]> {
  return (await requestJson<{ items: ConfigSummary[] }>('GET', `${gw(id)}/configs`, sig(signal))).body.items;
}

export async function configDiff(
  id: string,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<ConfigDiff> {
  const q = new URLSearchParams({ from: String(from), to: String(to) });
  return (await requestJson<ConfigDiff>('GET', `${gw(id)}/configs/diff?${q.toString()}`, sig(signal))).body;
}

export async function rollback(id: string, version: number): Promise<PushResult> {
  return (await requestJson<PushResult>('POST', `${gw(id)}/rollback`, { body: { version } })).body;
}

export async function gatewayLogs(id: string, signal?: AbortSignal): Promise<LogTail> {
  return (await requestJson<LogTail>('GET', `${gw(id)}/logs`, sig(signal))).body;
}

/** `confirm: true` is the operator's second step: the server refuses a write without it. */
export async function writeTag(id: string, tag: string, value: SampleValue): Promise<WriteResult> {
  const path = `${gw(id)}/tags/${encodeURIComponent(tag)}/write`;
  return (await requestJson<WriteResult>('POST', path, { body: { value, confirm: true } })).body;
}

export async function registerGateway(body: {
  site: string;
  node: string;
  name: string;
  project?: string;
}): Promise<Credentials> {
  return (await requestJson<Credentials>('POST', base, { body })).body;
}

export interface ConfigVersion extends ConfigSummary {
  config: unknown;
}

export async function gatewayConfig(
  id: string,
  version: number,
  signal?: AbortSignal,
): Promise<ConfigVersion> {
  return (await requestJson<ConfigVersion>('GET', `${gw(id)}/configs/${version}`, sig(signal))).body;
}

/** Pushes `config` to every gateway in `gateways`; answers when each acked or timed out. */
export async function pushConfig(gateways: readonly string[], config: unknown): Promise<PushResult[]> {
  const body = { gateways, config };
  return (await requestJson<{ results: PushResult[] }>('POST', '/api/v1/configs/push', { body })).body
    .results;
}

/** The tags of the gateway's newest config version as CSV text. */
export async function exportTagsCsv(id: string, signal?: AbortSignal): Promise<string> {
  return requestText('GET', `${gw(id)}/tags`, undefined, signal);
}

/** Imports a tag CSV: pushed as the gateway's next version; answers the gateway's ack. */
export async function importTagsCsv(id: string, csv: string): Promise<PushResult> {
  return JSON.parse(await requestText('PUT', `${gw(id)}/tags`, csv)) as PushResult;
}

/**
 * A request whose body or answer is text (CSV), with requestJson's error handling: a refusal
 * comes back as an HttpError carrying the server's code and message.
 */
async function requestText(
  method: 'GET' | 'PUT',
  path: string,
  csv?: string,
  signal?: AbortSignal,
): Promise<string> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      signal: signal ?? null,
      headers: csv !== undefined ? { 'content-type': 'text/csv' } : {},
      ...(csv !== undefined && { body: csv }),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new HttpError(path, undefined, 'server unreachable', undefined, undefined);
  }
  const text = await res.text();
  if (res.status === 401) window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
  if (res.ok) return text;
  let body: { code?: unknown; message?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: the status says enough
  }
  throw new HttpError(
    path,
    res.status,
    typeof body.message === 'string' ? body.message : `HTTP ${res.status}`,
    typeof body.code === 'string' ? body.code : undefined,
    body,
  );
}
