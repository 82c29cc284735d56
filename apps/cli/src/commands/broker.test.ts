import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parsePasswordHash, parseScramCredentials, verifyPassword } from '@watershed/mqtt-broker';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));

/** Runs `watershed broker passwd …` with the password on stdin; returns the printed users[] entry. */
async function passwd(args: string[], password: string): Promise<Record<string, string>> {
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', main, 'broker', 'passwd', ...args]);
  run.child.stdin!.end(`${password}\n`);
  const { stdout } = await run;
  // One YAML flow mapping, `  - { key: "value", … }`, ready to paste under users:.
  expect(stdout).toMatch(/^ {2}- \{ .* \}\n$/);
  return Object.fromEntries([...stdout.matchAll(/(\w+): "([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

describe('watershed broker passwd', () => {
  it('prints a scrypt entry the broker verifies, and only the right password passes', async () => {
    const entry = await passwd(['plant-a'], 'correct horse battery');
    expect(entry.username).toBe('plant-a');
    expect(entry.scram).toBeUndefined();
    const hash = parsePasswordHash(entry.passwordHash!);
    if (typeof hash === 'string') throw new Error(hash);
    expect(hash.kind).toBe('scrypt');
    await expect(verifyPassword(Buffer.from('correct horse battery'), hash)).resolves.toBe(true);
    await expect(verifyPassword(Buffer.from('correct horse batterY'), hash)).resolves.toBe(false);
  }, 30_000);

  it('with --pbkdf2 --scram --iterations prints both credentials at that cost', async () => {
    const entry = await passwd(['--pbkdf2', '--scram', '--iterations', '5000', 'console'], 'p4ss-w0rd-long');
    const hash = parsePasswordHash(entry.passwordHash!);
    if (typeof hash === 'string') throw new Error(hash);
    expect(hash.kind).toBe('pbkdf2-sha256');
    await expect(verifyPassword(Buffer.from('p4ss-w0rd-long'), hash)).resolves.toBe(true);
    const scram = parseScramCredentials(entry.scram!);
    if (typeof scram === 'string') throw new Error(scram);
    expect(scram.iterations).toBe(5000);
  }, 30_000);
});
