import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requirePeer, run } from '../interop/peers.js';

const OPENSSL = '/usr/bin/openssl';

export interface SanPki {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

/**
 * Test PKI made with openssl: a CA, a server certificate for 127.0.0.1/localhost, and a client
 * certificate with subject CN `cn` and the given subjectAltName entries (`DNS:…`, `email:…`,
 * `URI:…`). P-256 keys, valid for a day, in a fresh temporary directory.
 */
export async function makePkiWithSan(cn: string, san: readonly string[]): Promise<SanPki> {
  requirePeer(OPENSSL, 'openssl');
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-san-pki-'));
  const p = (f: string): string => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  writeFileSync(p('client.ext'), `subjectAltName=${san.join(',')}\n`);
  const sign = (name: string): string[] => [
    'x509',
    '-req',
    '-in',
    p(`${name}.csr`),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p(`${name}.pem`),
    '-days',
    '1',
    '-extfile',
    p(`${name}.ext`),
  ];
  const steps = [
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      p('ca.key'),
      '-out',
      p('ca.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=watershed-test-ca',
    ],
    ['req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=localhost'],
    sign('server'),
    ['req', ...ec, '-keyout', p('client.key'), '-out', p('client.csr'), '-subj', `/CN=${cn}`],
    sign('client'),
  ];
  for (const args of steps) {
    const r = await run(OPENSSL, args);
    if (r.code !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  }
  return {
    caFile: p('ca.pem'),
    certFile: p('server.pem'),
    keyFile: p('server.key'),
    clientCertFile: p('client.pem'),
    clientKeyFile: p('client.key'),
  };
}
