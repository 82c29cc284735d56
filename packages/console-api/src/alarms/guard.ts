import type { FastifyRequest } from 'fastify';
import type { AlarmService, AlarmState } from '@watershed/alarms';
import type { Access } from '../auth/access.js';
import { AlarmApiErrors } from './errors.js';

/** The alarm if the request may see it; 404 otherwise, so another project's alarms do not leak. */
export function visibleAlarm(
  access: Access,
  alarms: AlarmService,
  req: FastifyRequest,
  id: string,
): AlarmState {
  const state = alarms.get(id);
  if (!state || !access.canSee(req, state.project)) throw AlarmApiErrors.NOT_FOUND.create([id]);
  return state;
}

/** The project a change is made in: the principal's, or the one an installation-wide principal names. */
export function projectOf(access: Access, req: FastifyRequest): string {
  const project = access.project(req);
  if (project === undefined || project === '*') throw AlarmApiErrors.PROJECT_REQUIRED.create([]);
  return project;
}

/** Who did it, as the audit log names them: a user's login name, `apikey:<prefix>` for a program. */
export function actorOf(access: Access, req: FastifyRequest): string {
  const p = access.principal(req);
  return p.kind === 'apiKey' ? `apikey:${p.name}` : p.name;
}
