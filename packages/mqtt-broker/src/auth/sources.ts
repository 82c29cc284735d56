import type { Clock, Logger } from '@watershed/common';
import { Value } from 'typebox/value';
import { CertificateSource } from './certificate.js';
import { HttpCalloutSource } from './http-callout.js';
import { JwtSource } from './jwt.js';
import { PasswordSource } from './password-source.js';
import { CertificateSourceConfig, type AuthSourceConfig } from './schema.js';
import type { AuthSource } from './source.js';
import type { UserTable } from './users.js';

/** A source as a listener names it: a config entry (strings are shorthands) or a ready instance. */
export type AuthSourceSpec = AuthSourceConfig | AuthSource;

export interface SourceDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly users: UserTable;
}

/** The one list of source types: config entry → instance. */
export function createAuthSource(spec: AuthSourceSpec, deps: SourceDeps): AuthSource {
  if (typeof spec === 'object' && 'authenticate' in spec) return spec;
  const config = typeof spec === 'string' ? { type: spec } : spec;
  switch (config.type) {
    case 'password':
      return new PasswordSource(deps.users);
    case 'certificate':
      return new CertificateSource(
        Value.Default(CertificateSourceConfig, Value.Clone(config)) as CertificateSourceConfig,
      );
    case 'jwt':
      return new JwtSource(config, deps);
    case 'http':
      return new HttpCalloutSource(config, deps);
  }
}

/** The source type a spec names, for config checks and logs. */
export function sourceType(spec: AuthSourceSpec): string {
  if (typeof spec === 'string') return spec;
  return 'authenticate' in spec ? spec.kind : spec.type;
}
