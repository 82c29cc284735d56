import { requestJson } from '../alarms/http.js';

/** One audit log entry as console-api audit/audit-routes.ts lists it. */
export interface AuditEntry {
  seq: number;
  at: number;
  /** User name, or `apikey:<prefix>`. */
  actor: string;
  /** `<resource>.<verb>`, e.g. `user.update`. */
  action: string;
  /** `<resource>:<id>`, e.g. `user:3`. */
  resource: string;
  project?: string;
  before?: unknown;
  after?: unknown;
  /** The client address the change came from. */
  from?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Present when more entries match: the cursor of the next page. */
  next?: string;
}

/** The API's filters: exact matches (no patterns) and inclusive time bounds in ms. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  resource?: string;
  from?: number;
  to?: number;
}

export const PAGE_SIZE = 100;

export function filterQuery(f: AuditFilter): URLSearchParams {
  const q = new URLSearchParams();
  for (const k of ['actor', 'action', 'resource'] as const) {
    const v = f[k]?.trim();
    if (v !== undefined && v !== '') q.set(k, v);
  }
  if (f.from !== undefined) q.set('from', String(f.from));
  if (f.to !== undefined) q.set('to', String(f.to));
  return q;
}

/** One page of matching entries, newest first; `cursor` is the previous page's `next`. */
export async function listAudit(
  f: AuditFilter,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<AuditPage> {
  const q = filterQuery(f);
  q.set('limit', String(PAGE_SIZE));
  if (cursor !== undefined) q.set('cursor', cursor);
  const { body } = await requestJson<AuditPage>(
    'GET',
    `/api/v1/audit?${q.toString()}`,
    signal ? { signal } : {},
  );
  return body;
}

/** Every matching entry, streamed by the server as CSV or JSON lines. */
export function auditExportUrl(f: AuditFilter, format: 'csv' | 'jsonl'): string {
  const q = filterQuery(f);
  q.set('format', format);
  return `/api/v1/audit/export?${q.toString()}`;
}
