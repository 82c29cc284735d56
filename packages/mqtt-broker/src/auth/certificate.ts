import type { CertificateSourceConfig } from './schema.js';
import {
  IGNORE,
  type AuthRequest,
  type AuthSource,
  type AuthVerdict,
  type CertificateIdentity,
} from './source.js';

/**
 * Mutual TLS as an authentication source: the client certificate the handshake verified
 * against the listener's CA names the client. The name is the subject CN, or the first
 * subjectAltName entry of the configured type (DNS name, email address, URI — e.g. a SPIFFE
 * ID), which is where RFC 6125 §6.4.4 and current CA practice put identities. A connection
 * without such a certificate, or whose certificate lacks the entry, is not this source's.
 */
export class CertificateSource implements AuthSource {
  readonly kind = 'certificate';
  readonly #from: CertificateSourceConfig['usernameFrom'];

  constructor(config: Pick<CertificateSourceConfig, 'usernameFrom'>) {
    this.#from = config.usernameFrom;
  }

  authenticate(req: AuthRequest): Promise<AuthVerdict> {
    const cert = req.certificate;
    const name = cert === undefined ? undefined : this.#from === 'cn' ? cert.cn : cert[this.#from][0];
    return Promise.resolve(
      name === undefined || name.length === 0 ? IGNORE : { result: 'allow', username: name },
    );
  }
}

/**
 * Reads a certificate identity from node:tls's `getPeerCertificate()` fields. `subjectaltname`
 * is a ", "-separated list of `TYPE:value`; since Node 17 a value holding a comma, quote or
 * control character is written as a JSON string (CVE-2021-44532), so it is parsed, not split.
 */
export function certificateIdentityOf(
  cn: string | undefined,
  subjectaltname: string | undefined,
): CertificateIdentity {
  const dns: string[] = [];
  const email: string[] = [];
  const uri: string[] = [];
  for (const [type, value] of parseSubjectAltName(subjectaltname ?? '')) {
    if (type === 'DNS') dns.push(value);
    else if (type === 'email') email.push(value);
    else if (type === 'URI') uri.push(value);
  }
  return { ...(cn !== undefined && { cn }), dns, email, uri };
}

export function parseSubjectAltName(text: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) break;
    const type = text.slice(i, colon).trim();
    let value: string;
    let end: number;
    if (text[colon + 1] === '"') {
      // A JSON string: find its closing quote, skipping escaped characters.
      let j = colon + 2;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      try {
        value = JSON.parse(text.slice(colon + 1, j + 1)) as string;
      } catch {
        return out; // Not something Node wrote; trust nothing after it.
      }
      end = j + 1;
    } else {
      const comma = text.indexOf(', ', colon + 1);
      end = comma < 0 ? text.length : comma;
      value = text.slice(colon + 1, end);
    }
    out.push([type, value]);
    i = text.startsWith(', ', end) ? end + 2 : end + 1;
  }
  return out;
}
