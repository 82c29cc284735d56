import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './authenticate.js';

/**
 * HttpOnly (no script reads it), SameSite=Strict (not sent on cross-site requests: the CSRF
 * defence for the cookie), Secure when the request came over TLS (RFC 6265bis §4.1.2).
 * An empty token with max-age 0 clears it.
 */
export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  ttlMs: number,
): void {
  const attrs = [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.floor(ttlMs / 1000)}`,
  ];
  if (req.protocol === 'https') attrs.push('Secure');
  void reply.header('set-cookie', attrs.join('; '));
}
