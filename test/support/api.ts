/** Small typed helpers over the console API for end-to-end tests. */
export interface ApiSample {
  point: string;
  ts: number;
  value: number | boolean | string | null;
  quality: 'good' | 'uncertain' | 'bad';
  reason?: string;
}

/** What the helpers need of a running server: its URL, and its store to issue an API key in. */
export interface ApiServer {
  apiUrl: string;
  store: {
    metadata: {
      apiKeys: {
        create(input: {
          project: string;
          name: string;
          role: string;
          createdBy: string;
        }): Promise<{ key: string }>;
      };
    };
  };
}

const keys = new WeakMap<ApiServer['store'], Promise<string>>();

/**
 * The `authorization` header of an installation-wide viewer API key, created once per server:
 * every /api/v1 route needs a principal.
 */
export function authorization(server: ApiServer): Promise<string> {
  let key = keys.get(server.store);
  if (!key) {
    key = server.store.metadata.apiKeys
      .create({ project: '*', name: 'e2e', role: 'viewer', createdBy: 'e2e-test' })
      .then((k) => `Bearer ${k.key}`);
    keys.set(server.store, key);
  }
  return key;
}

export async function getJson<T>(url: string, auth?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, auth ? { headers: { authorization: auth } } : {});
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function latest(server: ApiServer, id: string): Promise<ApiSample | undefined> {
  const r = await getJson<ApiSample>(
    `${server.apiUrl}/api/v1/points/${encodeURIComponent(id)}/latest`,
    await authorization(server),
  );
  return r.status === 200 ? r.body : undefined;
}
