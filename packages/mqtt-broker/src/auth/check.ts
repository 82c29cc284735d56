import { validate, type ConfigIssue } from '@watershed/common';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { parsePasswordHash } from './password.js';
import { parseScramCredentials } from './scram-credentials.js';
import {
  CertificateSourceConfig,
  HttpSourceConfig,
  JwtSourceConfig,
  PasswordSourceConfig,
  type AuthSourceConfig,
} from './schema.js';
import type { UserEntry } from './users.js';

/** RFC 7518 §3.2: an HMAC key must be at least as long as the hash output (HS256: 32 bytes). */
const MIN_HMAC_SECRET_BYTES = 32;

/**
 * Checks a listener's `auth.sources` beyond the schema: a JWT source names exactly one key
 * (usable, and long enough for HMAC), an HTTP URL parses, "certificate" has a verified
 * certificate to read. `at` is the path of the sources list, e.g. `listeners.2.auth.sources`.
 */
export function checkAuthSources(
  sources: readonly unknown[],
  at: string,
  listener: { requestClientCert: boolean },
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  sources.forEach((raw, i) => {
    const path = `${at}.${i}`;
    const s = parseAuthSource(raw, path);
    if (Array.isArray(s)) {
      issues.push(...s);
      return;
    }
    const type = typeof s === 'string' ? s : s.type;
    if (type === 'certificate' && !listener.requestClientCert)
      issues.push({ path, value: type, expected: '"certificate" only with requestClientCert: true' });
    if (typeof s !== 'object') return;
    if (s.type === 'jwt') {
      const keys = (['secret', 'publicKeyFile', 'jwksUrl'] as const).filter((k) => s[k] !== undefined);
      if (keys.length !== 1)
        issues.push({ path, value: keys, expected: 'exactly one of secret, publicKeyFile, jwksUrl' });
      if (s.secret !== undefined) {
        const bytes = s.secretBase64 ? Buffer.from(s.secret, 'base64').length : Buffer.byteLength(s.secret);
        if (bytes < MIN_HMAC_SECRET_BYTES)
          issues.push({
            path: `${path}.secret`,
            value: '(hidden)',
            expected: `an HMAC secret of at least ${MIN_HMAC_SECRET_BYTES} bytes (RFC 7518 §3.2)`,
          });
      }
      if (s.publicKeyFile !== undefined) {
        const problem = publicKeyProblem(s.publicKeyFile);
        if (problem)
          issues.push({ path: `${path}.publicKeyFile`, value: s.publicKeyFile, expected: problem });
      }
      if (s.jwksUrl !== undefined && !URL.canParse(s.jwksUrl))
        issues.push({ path: `${path}.jwksUrl`, value: s.jwksUrl, expected: 'an http(s) URL' });
    }
    if (s.type === 'http' && !URL.canParse(s.url))
      issues.push({ path: `${path}.url`, value: s.url, expected: 'an http(s) URL' });
  });
  return issues;
}

/** Checks one `users[]` entry's secrets; `at` is its path, e.g. `users.3`. */
export function checkUserSecrets(u: UserEntry, at: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (u.passwordHash === undefined && u.scram === undefined)
    issues.push({ path: at, value: u.username, expected: 'a passwordHash or scram entry (or both)' });
  if (u.passwordHash !== undefined) {
    const parsed = parsePasswordHash(u.passwordHash);
    if (typeof parsed === 'string')
      issues.push({ path: `${at}.passwordHash`, value: '(hidden)', expected: parsed });
  }
  if (u.scram !== undefined) {
    const parsed = parseScramCredentials(u.scram);
    if (typeof parsed === 'string') issues.push({ path: `${at}.scram`, value: '(hidden)', expected: parsed });
  }
  return issues;
}

function publicKeyProblem(file: string): string | undefined {
  if (!existsSync(file)) return 'an existing file';
  try {
    const key = createPublicKey(readFileSync(file));
    return key.asymmetricKeyType === undefined ? 'a PEM public key or certificate' : undefined;
  } catch {
    return 'a PEM public key or certificate';
  }
}

const SOURCE_SCHEMAS: Record<string, TSchema> = {
  password: PasswordSourceConfig,
  certificate: CertificateSourceConfig,
  jwt: JwtSourceConfig,
  http: HttpSourceConfig,
};
/**
 * Validates one `auth.sources` item against the one shape its `type` names. (A union schema
 * would report every branch it tried — "must be string", other types' keys — and typebox stops
 * at the first bad item; this names each problem once, e.g. `….sources.2.url: must match
 * pattern "^https?://"`.) Returns the item with defaults, or the issues.
 */
export function parseAuthSource(item: unknown, path: string): AuthSourceConfig | ConfigIssue[] {
  if (item === 'password' || item === 'certificate') return item;
  const type = typeof item === 'object' && item !== null ? (item as { type?: unknown }).type : undefined;
  const schema = typeof type === 'string' ? SOURCE_SCHEMAS[type] : undefined;
  if (schema === undefined)
    return [
      {
        path: typeof item === 'object' && item !== null ? `${path}.type` : path,
        value: typeof item === 'object' && item !== null ? type : item,
        expected: `"password", "certificate", or an object with type ${Object.keys(SOURCE_SCHEMAS).join(' | ')}`,
      },
    ];
  const withDefaults: unknown = Value.Default(schema, Value.Clone(item));
  const issues = validate(schema, withDefaults).map((i) => ({
    ...i,
    path: i.path ? `${path}.${i.path}` : path,
  }));
  return issues.length > 0 ? issues : (withDefaults as AuthSourceConfig);
}
