/**
 * Secrets in sink configs never leave the API: GET shows them masked, the audit log records them
 * masked, and a PUT that sends the mask back keeps the stored value (EMQX masks its connector
 * passwords as `******` the same way).
 *
 * What counts as a secret is decided by shape, not per type, so a new sink type is covered
 * without a list to keep up: a field named like a credential (`password`, `pass`, `token` …),
 * a credential-bearing HTTP header (`headers.Authorization` …), and the password part of a URL
 * (`postgresql://user:pw@db/ws`, RFC 3986 §3.2.1 userinfo).
 */

export const SECRET_MASK = '******';

const SECRET_KEY = /^(password|passwd|pass|token|secret|apikey|api_key|accesstoken|access_token)$/i;
const SECRET_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key|x-auth-token|cookie)$/i;
/** scheme://user:PASSWORD@ — the password may be empty. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@/?#\s]*)(@)/i;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function isSecretKey(key: string, inHeaders: boolean): boolean {
  return SECRET_KEY.test(key) || (inHeaders && SECRET_HEADER.test(key));
}

/** A deep copy of `config` with every secret replaced by SECRET_MASK. */
export function maskSecrets(config: Readonly<Obj>): Obj {
  return maskObject(config, false);
}

function maskObject(o: Readonly<Obj>, inHeaders: boolean): Obj {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, maskValue(k, v, inHeaders)]));
}

function maskValue(key: string, v: unknown, inHeaders: boolean): unknown {
  if (typeof v === 'string') {
    if (v !== '' && isSecretKey(key, inHeaders)) return SECRET_MASK;
    return v.replace(URL_PASSWORD, (_m, head: string, pw: string, at: string) =>
      pw === '' ? `${head}${at}` : `${head}${SECRET_MASK}${at}`,
    );
  }
  if (Array.isArray(v)) return v.map((item) => maskValue(key, item, inHeaders));
  if (isObj(v)) return maskObject(v, key === 'headers');
  return v;
}

/**
 * `incoming` with every SECRET_MASK that stands where `stored` holds a secret replaced by the
 * stored secret: a form that sends back what GET showed keeps the credentials it never saw. A
 * mask with nothing stored behind it is kept as typed.
 */
export function restoreSecrets(incoming: Readonly<Obj>, stored: Readonly<Obj> | undefined): Obj {
  return restoreObject(incoming, stored ?? {});
}

function restoreObject(o: Readonly<Obj>, stored: Readonly<Obj>): Obj {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, restoreValue(v, stored[k])]));
}

function restoreValue(v: unknown, stored: unknown): unknown {
  if (typeof v === 'string') {
    if (v === SECRET_MASK && typeof stored === 'string') return stored;
    const m = URL_PASSWORD.exec(v);
    if (m && m[2] === SECRET_MASK && typeof stored === 'string') {
      const old = URL_PASSWORD.exec(stored);
      if (old)
        return v.replace(
          URL_PASSWORD,
          (_x, head: string, _pw: string, at: string) => `${head}${old[2]}${at}`,
        );
    }
    return v;
  }
  if (Array.isArray(v)) {
    const s = Array.isArray(stored) ? stored : [];
    return v.map((item, i) => restoreValue(item, s[i]));
  }
  if (isObj(v)) return restoreObject(v, isObj(stored) ? stored : {});
  return v;
}
