/** The bench's console session: the first admin logs in through the API and sets a password. */

/** Answers the `ws_session` cookie value of a logged-in first admin whose password is changed. */
export async function adminSession(url: string, firstPassword: string, password: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', password: firstPassword }),
  });
  if (login.status !== 200) throw new Error(`admin login answered ${login.status}: ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith('ws_session='))
    ?.split(';')[0];
  if (!cookie) throw new Error('admin login set no ws_session cookie');
  // The console refuses everything else until the one-time password is changed.
  const changed = await fetch(`${url}/api/v1/auth/password`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ current: firstPassword, new: password }),
  });
  if (changed.status >= 300)
    throw new Error(`admin password change answered ${changed.status}: ${await changed.text()}`);
  return cookie.slice('ws_session='.length);
}

/** Ids of the points of one quantity (e.g. pressure, whose sensor noise moves it every poll). */
export async function pointIdsOf(url: string, session: string, quantity: string): Promise<string[]> {
  const res = await fetch(`${url}/api/v1/points`, { headers: { cookie: `ws_session=${session}` } });
  if (res.status !== 200) throw new Error(`GET /points answered ${res.status}`);
  const body = (await res.json()) as { items: { id: string; quantity?: string }[] };
  return body.items.filter((p) => p.quantity === quantity).map((p) => p.id);
}
