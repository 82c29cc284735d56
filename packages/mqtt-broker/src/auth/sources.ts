import type { Clock, Logger } from '@watershed/common';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { CertificateSource } from './certificate.js';
import { HttpCalloutSource } from './http-callout.js';
import { JwtSource } from './jwt.js';
import { PasswordSource } from './password-source.js';
import {
  CertificateSourceConfig,
  HttpSourceConfig,
  JwtSourceConfig,
  type AuthSourceConfig,
} from './schema.js';
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
  // Defaults are applied again here, for configs that did not come through loadBrokerConfig.
  const config = typeof spec === 'string' ? { type: spec } : spec;
  switch (config.type) {
    case 'password':
      return new PasswordSource(deps.users);
    case 'certificate':
      return new CertificateSource(withDefaults(CertificateSourceConfig, config));
    case 'jwt':
      return new JwtSource(withDefaults(JwtSourceConfig, config), deps);
    case 'http':
      return new HttpCalloutSource(withDefaults(HttpSourceConfig, config), deps);
  }
}

function withDefaults<S extends TSchema>(schema: S, value: unknown): Static<S> {
  return Value.Default(schema, Value.Clone(value)) as Static<S>;
}
