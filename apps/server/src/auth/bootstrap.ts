import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@watershed/common';
import { checkPasswordPolicy, hashPassword, randomPassword, type ScryptCost } from '@watershed/console-api';
import type { MetadataStore } from '@watershed/store';

/** Where the generated first password is left for the operator who started the server. */
export const INITIAL_PASSWORD_FILE = 'initial-admin-password';
export const FIRST_ADMIN = 'admin';

export interface BootstrapOptions {
  metadata: MetadataStore;
  dataDir: string;
  logger: Logger;
  /** `console.adminPassword`: the first password, for automated installs; random when omitted. */
  password?: string;
  passwordCost?: ScryptCost;
}

export interface InitialAdmin {
  name: string;
  /** The file holding the password (mode 0600). */
  passwordFile: string;
}

/**
 * A fresh installation has no user, so nobody could log in to create one: the first start
 * creates `admin` in project `*` with a one-time password that must be changed at first login.
 * A generated password is logged once and written to `<dataDir>/initial-admin-password`, readable
 * by the server's own user only. Returns undefined when users exist already (every later start).
 */
export async function bootstrapAdmin(opts: BootstrapOptions): Promise<InitialAdmin | undefined> {
  const { metadata, logger } = opts;
  if ((await metadata.users.list()).length > 0) return undefined;
  const generated = opts.password === undefined;
  const password = opts.password ?? randomPassword();
  checkPasswordPolicy(password, FIRST_ADMIN);
  await metadata.users.create({
    project: '*',
    name: FIRST_ADMIN,
    role: 'admin',
    passwordHash: await hashPassword(password, opts.passwordCost),
    mustChangePassword: true,
  });
  const passwordFile = join(opts.dataDir, INITIAL_PASSWORD_FILE);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await chmod(passwordFile, 0o600); // writeFile's mode applies only when it creates the file
  await metadata.audit.append({
    actor: 'system',
    action: 'user.create',
    resource: 'user:admin',
    project: '*',
    after: { name: FIRST_ADMIN, role: 'admin', project: '*', mustChangePassword: true },
    from: 'bootstrap',
  });
  if (generated) {
    logger.warn(
      { user: FIRST_ADMIN, password, passwordFile },
      'created the first console user: log in as admin with this one-time password and change it',
    );
  } else {
    logger.info(
      { user: FIRST_ADMIN, passwordFile },
      'created the first console user from console.adminPassword',
    );
  }
  return { name: FIRST_ADMIN, passwordFile };
}
