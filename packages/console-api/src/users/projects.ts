import type { FastifyRequest } from 'fastify';
import { roleAtLeast, type Access, type Role } from '../auth/access.js';
import { UserErrors } from './errors.js';

/**
 * Organisations and projects are the isolation boundary: a project id is `<org>/<project>`,
 * `*` is the installation itself. A principal of one project may only see and assign its own.
 */
const PROJECT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkProject(project: string): void {
  if (project !== '*' && !PROJECT.test(project)) throw UserErrors.BAD_PROJECT.create([project]);
}

/**
 * The project a new record of the request belongs to: the given one if the principal may assign
 * it (its own, or any for `*` principals), else the principal's own.
 */
export function assignProject(access: Access, req: FastifyRequest, requested: string | undefined): string {
  const p = access.principal(req);
  const project = requested ?? p.project;
  checkProject(project);
  if (p.project !== '*' && project !== p.project) throw UserErrors.OTHER_PROJECT.create([p.project, project]);
  return project;
}

/** Nobody hands out more than they have. */
export function checkGrant(access: Access, req: FastifyRequest, role: Role): void {
  const p = access.principal(req);
  if (!roleAtLeast(p.role, role)) throw UserErrors.ROLE_TOO_HIGH.create([p.role, role]);
}
