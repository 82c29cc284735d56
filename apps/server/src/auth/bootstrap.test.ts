import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, silentLogger } from '@watershed/common';
import { verifyPassword } from '@watershed/console-api';
import { openEmbeddedStore, type Store } from '@watershed/store';
import { ServerConfig } from '../config.js';
import { bootstrapAdmin, INITIAL_PASSWORD_FILE } from './bootstrap.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('bootstrapAdmin', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-bootstrap-'));
    store = await openEmbeddedStore({ dir });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates admin in * with a random one-time password in a 0600 file, once', async () => {
    const logged: unknown[] = [];
    const logger = silentLogger();
    logger.warn = (obj: unknown) => logged.push(obj);
    const first = await bootstrapAdmin({
      metadata: store.metadata,
      dataDir: dir,
      logger,
      passwordCost: FAST,
    });
    expect(first).toEqual({ name: 'admin', passwordFile: join(dir, INITIAL_PASSWORD_FILE) });
    const password = readFileSync(first!.passwordFile, 'utf8').trim();
    expect(password).toHaveLength(18);
    expect(statSync(first!.passwordFile).mode & 0o777).toBe(0o600);
    expect(logged).toEqual([expect.objectContaining({ user: 'admin', password })]);

    const admin = await store.metadata.users.byName('admin');
    expect(admin).toMatchObject({ project: '*', role: 'admin', mustChangePassword: true, disabled: false });
    expect(await verifyPassword(password, admin!.passwordHash)).toBe(true);
    const [audit] = (await store.metadata.audit.query({ action: 'user.create' })).entries;
    expect(audit).toMatchObject({ actor: 'system', resource: 'user:admin' });
    expect(JSON.stringify(audit)).not.toMatch(/scrypt/);

    // Users exist now: a restart leaves them alone.
    expect(
      await bootstrapAdmin({ metadata: store.metadata, dataDir: dir, logger, passwordCost: FAST }),
    ).toBeUndefined();
    expect(await store.metadata.users.list()).toHaveLength(1);
  });

  it('takes console.adminPassword (env WATERSHED_CONSOLE__ADMIN_PASSWORD) for automated installs', async () => {
    const config = loadConfig({
      schema: ServerConfig,
      value: { dataDir: dir },
      env: { WATERSHED_CONSOLE__ADMIN_PASSWORD: 'automation-secret-1' },
      label: 'test',
    });
    expect(config.console.adminPassword).toBe('automation-secret-1');
    await bootstrapAdmin({
      metadata: store.metadata,
      dataDir: dir,
      logger: silentLogger(),
      password: config.console.adminPassword!,
      passwordCost: FAST,
    });
    const admin = await store.metadata.users.byName('admin');
    expect(await verifyPassword('automation-secret-1', admin!.passwordHash)).toBe(true);
    expect(admin!.mustChangePassword).toBe(true);
  });

  it('refuses a configured password that breaks the policy', async () => {
    await expect(
      bootstrapAdmin({
        metadata: store.metadata,
        dataDir: dir,
        logger: silentLogger(),
        password: 'admin123',
      }),
    ).rejects.toMatchObject({ code: 'WS_ERR_AUTH_WEAK_PASSWORD' });
    expect(await store.metadata.users.list()).toEqual([]);
  });
});
