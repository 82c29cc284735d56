/**
 * Test support: a throwaway PKI made with Debian's openssl — a CA, a server certificate for
 * 127.0.0.1/localhost and a client certificate, P-256, valid for a day, in a temp directory.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OPENSSL = '/usr/bin/openssl';

export interface Pki {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

function openssl(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(OPENSSL, args, { timeout: 15_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`openssl ${args[0]} failed: ${stderr}`)) : resolve(),
    );
  });
}

export async function makePki(clientCN = 'plant7-bridge'): Promise<Pki> {
  if (!existsSync(OPENSSL))
    throw new Error(`${OPENSSL} is missing: install the Debian package openssl (apt-get install openssl)`);
  const dir = mkdtempSync(join(tmpdir(), 'bridge-pki-'));
  const p = (f: string): string => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl([
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
    '/CN=bridge-test-ca',
  ]);
  const sign = async (name: string, cn: string, ext: readonly string[]): Promise<void> => {
    await openssl([
      'req',
      ...ec,
      '-keyout',
      p(`${name}.key`),
      '-out',
      p(`${name}.csr`),
      '-subj',
      `/CN=${cn}`,
    ]);
    // Sequential: -CAcreateserial shares one serial file.
    await openssl([
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
      ...ext,
    ]);
  };
  await sign('server', 'localhost', ['-extfile', p('server.ext')]);
  await sign('client', clientCN, []);
  return {
    dir,
    ca: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server.key'),
    clientCert: p('client.pem'),
    clientKey: p('client.key'),
  };
}
