export { buildConsoleApi, type ConsoleApiOptions } from './app.js';
export type { LiveFeed } from './routes/live.js';
export { LiveHub } from './live/live-hub.js';
export type { HealthProbe } from './routes/health.js';
export { ApiErrors } from './errors.js';
export * as ApiSchemas from './schemas.js';
