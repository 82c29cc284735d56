export { apiRoutes, buildConsoleApi, type ConsoleApiOptions, type ResourceContext } from './app.js';
export {
  ROLES,
  roleAtLeast,
  type Access,
  type AuditEntryInput,
  type Auditor,
  type Guard,
  type Principal,
  type Role,
  type RoleGuard,
} from './auth/access.js';
export { SESSION_COOKIE, type ApiRoute } from './auth/authenticate.js';
export { AuthErrors } from './auth/errors.js';
export {
  checkPasswordPolicy,
  hashPassword,
  randomPassword,
  verifyPassword,
  type ScryptCost,
} from './auth/password.js';
export { LoginThrottle } from './auth/throttle.js';
export { OidcSettings } from './auth/oidc/settings.js';
export { OidcErrors } from './auth/oidc/errors.js';
export type { LiveFeed } from './routes/live.js';
export { LiveHub } from './live/live-hub.js';
export type { HealthProbe } from './routes/health.js';
export { ApiErrors } from './errors.js';
export * as ApiSchemas from './schemas.js';
export * from './rules/index.js';
export * from './sinks/index.js';
export * from './broker/index.js';
export * from './fleet/index.js';
export * from './alarms/index.js';
export * from './meters/index.js';
export * from './analytics/index.js';
export * from './overview/index.js';
