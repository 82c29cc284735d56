import { requestJson } from '../alarms/http.js';
import type {
  DataQualityPage,
  DistrictReport,
  DistrictSummary,
  MeterHealthPage,
  MeterStatus,
  QualityReport,
} from './districts-types.js';

const BASE = '/api/v1/analytics';
const opts = (signal?: AbortSignal) => (signal !== undefined ? { signal } : {});
const enc = encodeURIComponent;

export async function listDistricts(signal?: AbortSignal): Promise<DistrictSummary[]> {
  const { body } = await requestJson<{ items: DistrictSummary[] }>('GET', `${BASE}/districts`, opts(signal));
  return body.items;
}

export async function districtReport(
  id: string,
  range: { from: number; to: number },
  signal?: AbortSignal,
): Promise<DistrictReport> {
  const q = new URLSearchParams({ from: String(range.from), to: String(range.to) });
  const { body } = await requestJson<DistrictReport>(
    'GET',
    `${BASE}/districts/${enc(id)}?${q}`,
    opts(signal),
  );
  return body;
}

export async function meterHealth(
  id: string,
  query: { from: number; to: number; status?: MeterStatus; offset: number; limit: number },
  signal?: AbortSignal,
): Promise<MeterHealthPage> {
  const q = new URLSearchParams({
    from: String(query.from),
    to: String(query.to),
    offset: String(query.offset),
    limit: String(query.limit),
    ...(query.status !== undefined && { status: query.status }),
  });
  const path = `${BASE}/districts/${enc(id)}/meters?${q}`;
  const { body } = await requestJson<MeterHealthPage>('GET', path, opts(signal));
  return body;
}

export async function qualityReport(
  range: { from: number; to: number },
  signal?: AbortSignal,
): Promise<QualityReport> {
  const q = new URLSearchParams({ from: String(range.from), to: String(range.to) });
  const { body } = await requestJson<QualityReport>('GET', `${BASE}/quality?${q}`, opts(signal));
  return body;
}

export async function dataQuality(
  site: string,
  query: { from: number; to: number; offset: number; limit: number },
  signal?: AbortSignal,
): Promise<DataQualityPage> {
  const q = new URLSearchParams({
    site,
    from: String(query.from),
    to: String(query.to),
    offset: String(query.offset),
    limit: String(query.limit),
  });
  const { body } = await requestJson<DataQualityPage>('GET', `${BASE}/data-quality?${q}`, opts(signal));
  return body;
}
