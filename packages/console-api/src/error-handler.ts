import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Errors, isWatershedError } from '@watershed/common';
import type { ErrorBody } from './schemas.js';

/**
 * Every error leaves the API as `{ code, message }` with a catalog code: WatershedErrors keep
 * their own code and status, request validation failures become WS_ERR_BAD_REQUEST naming the
 * offending part, other 4xx raised by fastify keep their status, anything else is a logged 500.
 */
export function installErrorHandling(
  app: FastifyInstance,
  opts: { fallback?: (req: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined } = {},
): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toErrorBody(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    const handled = opts.fallback?.(req, reply);
    if (handled) return handled;
    const e = Errors.NOT_FOUND.create(['route', `${req.method} ${req.url.split('?')[0] ?? ''}`]);
    return reply.status(e.status).send(e.toJSON());
  });
}

export function toErrorBody(err: FastifyError | Error): { status: number; body: ErrorBody } {
  if (isWatershedError(err)) return { status: err.status, body: { code: err.code, message: err.message } };
  const fe = err as FastifyError;
  if (fe.validation) {
    const e = Errors.BAD_REQUEST.create([validationMessage(fe)]);
    return { status: e.status, body: { code: e.code, message: e.message } };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { code: Errors.BAD_REQUEST.code, message: fe.message } };
  }
  const e = Errors.INTERNAL.create(['the request could not be completed']);
  return { status: e.status, body: { code: e.code, message: e.message } };
}

/** "query parameter limit: must be >= 1" from ajv's `/limit must be >= 1`. */
function validationMessage(err: FastifyError): string {
  const part =
    err.validationContext === 'querystring' ? 'query parameter' : (err.validationContext ?? 'request');
  return (err.validation ?? [])
    .map((v) => {
      const params = v.params as { missingProperty?: string; additionalProperty?: string } | undefined;
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const name = path || params?.missingProperty || params?.additionalProperty || '';
      return `${part}${name ? ` ${name}` : ''}: ${v.message ?? 'is invalid'}`;
    })
    .join('; ');
}
