import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Store } from '@watershed/store';
import { installErrorHandling } from '../error-handler.js';
import type { Access, Auditor, Role } from './access.js';
import { installAuthentication } from './authenticate.js';

/**
 * For resource-plugin tests: a fastify instance with the real error handling and the real
 * authentication hook under /api/v1, in which `register` mounts the plugin under test.
 */
export async function buildTestApi(
  store: Store,
  register: (api: FastifyInstance, ctx: { access: Access; auditor: Auditor }) => Promise<void>,
): Promise<FastifyInstance> {
  const app = Fastify({
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const root = app as unknown as FastifyInstance;
  installErrorHandling(root);
  await app.register(
    async (api) => {
      const { access, auditor } = installAuthentication(api, { metadata: store.metadata });
      await register(api, { access, auditor });
    },
    { prefix: '/api/v1' },
  );
  await app.ready();
  return root;
}

/** A live API key of `role` in `project`, as the `authorization` header value. */
export async function bearerFor(store: Store, role: Role, project = 'acme/north'): Promise<string> {
  const { key } = await store.metadata.apiKeys.create({
    project,
    name: `test-${role}-${Math.random().toString(36).slice(2, 8)}`,
    role,
    createdBy: 'test',
  });
  return `Bearer ${key}`;
}

/**
 * `app.inject` with an `authorization` header added to every request: for tests of routes that
 * are not about authentication.
 */
export function authInject(
  app: FastifyInstance,
  authorization: string,
): (req: string | InjectOptions) => Promise<LightMyRequestResponse> {
  return (req) => {
    const opts: InjectOptions = typeof req === 'string' ? { url: req } : req;
    return app.inject({ ...opts, headers: { authorization, ...opts.headers } });
  };
}
