import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the server, never to the SPA's client-side router. */
const SERVER_PREFIXES = ['/api/', '/docs', '/metrics', '/healthz'];

/** Serves the built console SPA's files from `root` at `/`. */
export async function registerSpa(app: FastifyInstance, root: string): Promise<void> {
  // The default `max-age=0` makes browsers revalidate index.html, which names the hashed
  // asset files of the current build, on every load.
  await app.register(fastifyStatic, { root, prefix: '/', index: ['index.html'] });
}

/**
 * For a GET of a page outside the server's own paths that matched no file, answers with
 * index.html so client routes (`/points/x`) survive a reload; otherwise returns undefined and
 * the caller sends the JSON 404.
 */
export function spaFallback(req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const path = req.url.split('?')[0] ?? '/';
  if (SERVER_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))) return undefined;
  // Only page navigations (browsers send Accept: text/html) get the shell; a missing script or
  // image stays a 404. Point ids hold dots, so a file-extension test would misjudge client routes.
  if (!req.headers.accept?.includes('text/html')) return undefined;
  return reply.sendFile('index.html');
}
