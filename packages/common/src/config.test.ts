import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { Errors } from './errors.js';

const Schema = Type.Object(
  {
    dataDir: Type.String({ default: './data' }),
    api: Type.Object(
      {
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
        host: Type.String({ default: '127.0.0.1' }),
        cors: Type.Boolean({ default: false }),
      },
      { additionalProperties: false, default: {} },
    ),
    mode: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')], { default: 'embedded' }),
    plantName: Type.String(),
  },
  { additionalProperties: false },
);

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ws-config-'));
  const file = join(dir, 'c.yaml');
  writeFileSync(file, text);
  return file;
}

function failure(fn: () => unknown): { message: string; issues: { path: string }[] } {
  try {
    fn();
  } catch (err) {
    expect(Errors.CONFIG_INVALID.is(err)).toBe(true);
    const e = err as Error & { details: { issues: { path: string }[] } };
    return { message: e.message, issues: e.details.issues };
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('fills defaults and reads YAML', () => {
    const c = loadConfig({ schema: Schema, file: yamlFile('plantName: north\napi:\n  port: 9000\n') });
    expect(c).toEqual({
      plantName: 'north',
      dataDir: './data',
      api: { port: 9000, host: '127.0.0.1', cors: false },
      mode: 'embedded',
    });
  });

  it('overlays WATERSHED_A__B variables over the file, coercing by schema type', () => {
    const c = loadConfig({
      schema: Schema,
      file: yamlFile('plantName: north\napi:\n  port: 9000\n'),
      env: {
        WATERSHED_API__PORT: '9100',
        WATERSHED_API__CORS: 'true',
        WATERSHED_PLANT_NAME: 'x',
        WATERSHED_DATA_DIR__: '',
      },
    });
    expect(c.api.port).toBe(9100);
    expect(c.api.cors).toBe(true);
    expect(c.plantName).toBe('north'); // single-level variables are not overlays
  });

  it('names the path of an unknown key, a wrong type and a missing value', () => {
    const f = failure(() =>
      loadConfig({ schema: Schema, file: yamlFile('api:\n  prot: 1\n  port: "eighty"\nmode: cloud\n') }),
    );
    const paths = f.issues.map((i) => i.path).sort();
    expect(paths).toEqual(['api.port', 'api.prot', 'mode', 'plantName']);
    expect(f.message).toMatch(/api\.prot: no such key \(allowed: port, host, cors\)/);
    expect(f.message).toMatch(/api\.port: .*got "eighty"/);
    expect(f.message).toMatch(/mode: one of "embedded", "postgres", got "cloud"/);
    expect(f.message).toMatch(/plantName: a required value/);
  });

  it('ignores overlays for sections it does not have, which belong to other components', () => {
    const env = { WATERSHED_SIM__SPEED: '60' };
    const c = loadConfig({ schema: Schema, value: { plantName: 'a' }, env, unknownSections: 'ignore' });
    expect(c.plantName).toBe('a');
    expect(() => loadConfig({ schema: Schema, value: { plantName: 'a' }, env })).toThrow(/sim: a known key/);
  });

  it('names the variable of an unknown env overlay', () => {
    const f = failure(() =>
      loadConfig({ schema: Schema, value: { plantName: 'a' }, env: { WATERSHED_API__PROTO: 'x' } }),
    );
    expect(f.message).toMatch(/api\.proto: a known key .*\(from WATERSHED_API__PROTO\)/);
  });

  it('reports YAML syntax errors with their line', () => {
    const f = failure(() => loadConfig({ schema: Schema, file: yamlFile('plantName: [a\n') }));
    expect(f.message).toMatch(/line \d+/);
  });

  it('reports an unreadable file with its path', () => {
    expect(() => loadConfig({ schema: Schema, file: '/nonexistent/x.yaml' })).toThrow(
      /\/nonexistent\/x\.yaml/,
    );
  });
});
