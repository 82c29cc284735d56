/** Small typed helpers over the console API for end-to-end tests. */
export interface ApiSample {
  point: string;
  ts: number;
  value: number | boolean | string | null;
  quality: 'good' | 'uncertain' | 'bad';
  reason?: string;
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function latest(apiUrl: string, id: string): Promise<ApiSample | undefined> {
  const r = await getJson<ApiSample>(`${apiUrl}/api/v1/points/${encodeURIComponent(id)}/latest`);
  return r.status === 200 ? r.body : undefined;
}
