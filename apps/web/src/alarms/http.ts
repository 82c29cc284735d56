import { ApiError } from '../api/client.js';
import { UNAUTHENTICATED_EVENT } from '../auth/session-context.js';
import { tEn, type Translate } from '../i18n/translate.js';

/** A non-2xx answer with its body, so a page can show what the server said (problems, codes). */
export class HttpError extends ApiError {
  constructor(
    path: string,
    status: number | undefined,
    message: string,
    readonly code: string | undefined,
    readonly body: unknown,
  ) {
    super(path, status, message);
    this.name = 'HttpError';
  }
}

export interface JsonAnswer<T> {
  body: T;
  /** The ETag header, e.g. `"3"` for a rule's revision. */
  etag: string | undefined;
}

/**
 * One JSON request to the console API. The shared ApiClient only reads; the alarm and rule pages
 * also change things, so they send through this (same cookie session, same 401 → login page).
 */
export async function requestJson<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<JsonAnswer<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      signal: opts.signal ?? null,
      headers: {
        accept: 'application/json',
        ...(opts.body !== undefined && { 'content-type': 'application/json' }),
        ...opts.headers,
      },
      ...(opts.body !== undefined && { body: JSON.stringify(opts.body) }),
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new HttpError(path, undefined, 'server unreachable', undefined, undefined);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (res.status === 401) window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
  if (res.ok) return { body: body as T, etag: res.headers.get('etag') ?? undefined };
  const b = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown };
  throw new HttpError(
    path,
    res.status,
    typeof b.message === 'string' ? b.message : `HTTP ${res.status}`,
    typeof b.code === 'string' ? b.code : undefined,
    body,
  );
}

/**
 * What to tell the operator about a failed action, in words rather than status codes. `needs`
 * names the least role the action takes, so a viewer's 403 says whom to ask. `action` is a verb
 * phrase in the language of `t` ("acknowledge this alarm" / "确认此报警"); the server's own
 * message is shown as it came (the API speaks English).
 */
export function actionErrorText(
  err: unknown,
  action: string,
  needs?: 'operator' | 'engineer',
  t: Translate = tEn,
): string {
  if (!(err instanceof ApiError)) return t('err.failed', { action, detail: String(err) });
  if (err.unreachable) return t('err.unreachable', { action });
  if (err.status === 403)
    return needs !== undefined
      ? t('err.forbiddenRole', { action, role: t(`role.${needs}`) })
      : t('err.forbidden', { action });
  if (err.status === 404) return t('err.notFound', { action });
  return t('err.failed', { action, detail: err.message });
}
