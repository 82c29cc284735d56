import { requestJson } from '../alarms/http.js';
import type { OverviewKpis, OverviewMap } from './overview-types.js';

const opts = (signal?: AbortSignal) => (signal !== undefined ? { signal } : {});

export async function fetchOverview(signal?: AbortSignal): Promise<OverviewKpis> {
  return (await requestJson<OverviewKpis>('GET', '/api/v1/overview', opts(signal))).body;
}

/** The network drawing; the browser revalidates it with its ETag (the server answers 304). */
export async function fetchOverviewMap(signal?: AbortSignal): Promise<OverviewMap> {
  return (await requestJson<OverviewMap>('GET', '/api/v1/overview/map', opts(signal))).body;
}
