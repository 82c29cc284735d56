import type { Sample } from '@watershed/model';
import { UNAUTHENTICATED_EVENT } from '../auth/session-context.js';
import { rollupsToSamples } from './series.js';
import type { HealthResponse, PointsResponse, SeriesResponse } from './types.js';

/** An HTTP failure the UI can show as it is: what was asked, and what came back. */
export class ApiError extends Error {
  constructor(
    readonly path: string,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** No answer from the server itself: the network failed, or a proxy in front said it could not reach it. */
  get unreachable(): boolean {
    return this.status === undefined || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/**
 * The console's view of the server's HTTP API. Every call takes an AbortSignal so a component
 * that unmounts or changes its question cancels the request it no longer needs.
 */
export class ApiClient {
  readonly #base: string;

  constructor(base = '') {
    this.#base = base;
  }

  async points(signal?: AbortSignal): Promise<PointsResponse> {
    return this.#get<PointsResponse>('/api/v1/points', signal);
  }

  /**
   * History of one point for a chart of about `maxPoints` points. `bucket=auto` lets the server
   * read raw samples for short ranges and its minute/hour rollups for long ones; `maxPoints`
   * makes it downsample across the whole range (min/max per slice) instead of cutting the
   * range off after the first N samples.
   */
  async series(
    pointId: string,
    range: { from: number; to: number; maxPoints: number },
    signal?: AbortSignal,
  ): Promise<Sample[]> {
    const q = new URLSearchParams({
      from: String(range.from),
      to: String(range.to),
      maxPoints: String(range.maxPoints),
      bucket: 'auto',
    });
    const res = await this.#get<SeriesResponse>(
      `/api/v1/points/${encodeURIComponent(pointId)}/series?${q.toString()}`,
      signal,
    );
    return res.samples ?? rollupsToSamples(res.rollups ?? []);
  }

  /** /healthz answers 503 with the same body when degraded, so a non-2xx with a body is still an answer. */
  async health(signal?: AbortSignal): Promise<HealthResponse> {
    return this.#get<HealthResponse>('/healthz', signal, (body) => isHealthBody(body));
  }

  /** URL of the Server-Sent Events stream of live samples. */
  liveUrl(): string {
    return `${this.#base}/api/v1/live`;
  }

  async #get<T>(path: string, signal?: AbortSignal, acceptBody?: (body: unknown) => boolean): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.#base}${path}`, {
        signal: signal ?? null,
        headers: { accept: 'application/json' },
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(path, undefined, 'server unreachable');
    }
    const body: unknown = await res.json().catch(() => undefined);
    // The session ended (expired, logged out elsewhere): the auth gate shows the login page.
    if (res.status === 401) window.dispatchEvent(new Event(UNAUTHENTICATED_EVENT));
    if (res.ok || (body !== undefined && acceptBody?.(body) === true)) {
      if (body === undefined) throw new ApiError(path, res.status, 'response is not JSON');
      return body as T;
    }
    throw new ApiError(path, res.status, errorMessage(body) ?? `HTTP ${res.status} ${res.statusText}`.trim());
  }
}

function isHealthBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'status' in body && 'components' in body;
}

function errorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { message?: unknown; code?: unknown };
  if (typeof b.message !== 'string') return undefined;
  return typeof b.code === 'string' ? `${b.code}: ${b.message}` : b.message;
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
