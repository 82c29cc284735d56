import { requestJson } from '../alarms/http.js';

/** The shapes of console-api sinks/schemas.ts, as the page reads them. */

export type SinkState = 'up' | 'down' | 'degraded';

export interface SinkMetrics {
  matched: number;
  success: number;
  failed: number;
  dropped: number;
  queued: number;
  inflight: number;
  queuedMemory: number;
  queuedDisk: number;
  diskBytes: number;
  recovered: number;
  retries: number;
  batches: number;
}

export interface SinkView {
  id: string;
  type: string;
  origin: 'file' | 'api';
  project?: string;
  enabled: boolean;
  revision?: number;
  createdAt?: number;
  updatedAt?: number;
  config?: Record<string, unknown>;
  health: { state: SinkState; detail?: string; alarm: boolean; failures: number; lastError?: string };
  metrics: SinkMetrics;
  rules: string[];
}

/** One reason the server refused a config, by JSON pointer (`/url`). */
export interface SinkProblem {
  path: string;
  message: string;
}

export interface SinkTestResult {
  ok: boolean;
  ms: number;
  detail: string;
}

const base = '/api/v1/sinks';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export async function listSinks(signal?: AbortSignal): Promise<SinkView[]> {
  return (await requestJson<{ items: SinkView[] }>('GET', base, { ...(signal && { signal }) })).body.items;
}

export async function createSink(body: {
  id: string;
  type: string;
  enabled: boolean;
  config: Record<string, unknown>;
}): Promise<SinkView> {
  return (await requestJson<SinkView>('POST', base, { body })).body;
}

/** Replaces the config if nobody changed the sink since `revision` (409 otherwise). */
export async function updateSink(
  id: string,
  revision: number,
  config: Record<string, unknown>,
): Promise<SinkView> {
  return (await requestJson<SinkView>('PUT', one(id), { body: { config, revision } })).body;
}

export async function setSinkEnabled(id: string, enabled: boolean): Promise<SinkView> {
  return (await requestJson<SinkView>('POST', `${one(id)}/${enabled ? 'enable' : 'disable'}`, { body: {} }))
    .body;
}

export async function deleteSink(id: string): Promise<{ discarded: number }> {
  return (await requestJson<{ discarded: number }>('DELETE', one(id))).body;
}

/** Tests a saved sink, or (with `config`) the config being edited, secrets kept where masked. */
export async function testSavedSink(id: string, config?: Record<string, unknown>): Promise<SinkTestResult> {
  return (await requestJson<SinkTestResult>('POST', `${one(id)}/test`, { body: config ? { config } : {} }))
    .body;
}

export async function testNewSink(type: string, config: Record<string, unknown>): Promise<SinkTestResult> {
  return (await requestJson<SinkTestResult>('POST', `${base}/test`, { body: { type, config } })).body;
}
