import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'apps/cli/src/main.ts');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(TSX, [MAIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, WATERSHED_LOG_LEVEL: 'error' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function file(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'ws-cli-')), 'c.yaml');
  writeFileSync(f, text);
  return f;
}

describe('watershed CLI', () => {
  it('has --help on every command', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['up', 'server', 'edge', 'sim', 'config']) expect(top.stdout).toContain(c);
    const up = await run(['up', '--help']);
    expect(up.stdout).toMatch(/--api-port/);
  });

  it('refuses a bad edge config at start, naming each bad path', async () => {
    const bad = file(
      [
        'site: s',
        'node: n',
        'colour: blue', // unknown key
        'devices:',
        '  - name: plc',
        '    driver: modbus-tcp',
        '    config: { host: 127.0.0.1, port: "five" }', // wrong type
        '    groups:',
        '      - name: g',
        '        intervalMs: 1000',
        '        tags:',
        '          - { name: t, address: "1!400001" }', // missing dataType
      ].join('\n'),
    );
    const r = await run(['edge', '--config', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('WS_ERR_CONFIG_INVALID');
    expect(r.stderr).toMatch(/colour: no such key/);
    expect(r.stderr).toMatch(/devices\.0\.groups\.0\.tags\.0\.dataType: a required value/);
  });

  it('checks the driver settings and addresses of an edge config without starting it', async () => {
    const bad = file(
      [
        'site: s',
        'node: n',
        'devices:',
        '  - name: plc',
        '    driver: modbus-tcp',
        '    config: { host: 127.0.0.1, port: "five" }',
        '    groups:',
        '      - name: g',
        '        tags:',
        '          - { name: t, address: "1!999999999", dataType: uint16 }',
      ].join('\n'),
    );
    const r = await run(['config', 'check', 'edge', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/devices\.0\.config\.port/);
    expect(r.stderr).toMatch(/devices\.0\.groups\.0\.tags\.0\.address/);
    const good = await run(['config', 'check', 'edge', join(ROOT, 'docs/examples/edge.yaml')]);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
  });
});
