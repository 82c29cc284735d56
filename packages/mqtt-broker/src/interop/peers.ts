/**
 * Independent MQTT peers for interop tests: Mosquitto's command-line clients and Eclipse Paho
 * (Python), run as child processes, plus a throwaway PKI made with openssl. A missing peer
 * fails the test naming the Debian package to install (CI installs them).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub';
export const MOSQUITTO_SUB = '/usr/bin/mosquitto_sub';
/** Debian's python3, which has python3-paho-mqtt (a pyenv `python3` on PATH may not). */
export const PYTHON = '/usr/bin/python3';
const OPENSSL = '/usr/bin/openssl';

export function requirePeer(binary: string, debianPackage: string): void {
  if (!existsSync(binary))
    throw new Error(
      `${binary} is missing: install the Debian package ${debianPackage} (apt-get install ${debianPackage})`,
    );
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a peer to completion; it is killed after `timeoutMs` so no test hangs on it. */
export function run(file: string, args: readonly string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A long-running peer (a subscriber): its output so far, and a way to await its exit. */
export interface Running {
  readonly output: () => string;
  readonly exited: Promise<RunResult>;
  kill(): void;
}

export function start(file: string, args: readonly string[], timeoutMs = 15_000): Running {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill(), timeoutMs);
  const exited = new Promise<RunResult>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { output: () => stdout, exited, kill: () => child.kill() };
}

export interface Pki {
  readonly dir: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

/**
 * A CA, a server certificate for 127.0.0.1/localhost and a client certificate with
 * CN=`clientCN`, all P-256 and valid for a day, in a fresh temporary directory.
 */
export async function makePki(clientCN: string): Promise<Pki> {
  requirePeer(OPENSSL, 'openssl');
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-pki-'));
  const p = (f: string): string => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const steps: string[][] = [
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
    [
      'x509',
      '-req',
      '-in',
      p('server.csr'),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p('server.pem'),
      '-days',
      '1',
      '-extfile',
      p('server.ext'),
    ],
    ['req', ...ec, '-keyout', p('client.key'), '-out', p('client.csr'), '-subj', `/CN=${clientCN}`],
    [
      'x509',
      '-req',
      '-in',
      p('client.csr'),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p('client.pem'),
      '-days',
      '1',
    ],
  ];
  for (const args of steps) {
    const r = await run(OPENSSL, args);
    if (r.code !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  }
  return {
    dir,
    caFile: p('ca.pem'),
    certFile: p('server.pem'),
    keyFile: p('server.key'),
    clientCertFile: p('client.pem'),
    clientKeyFile: p('client.key'),
  };
}
