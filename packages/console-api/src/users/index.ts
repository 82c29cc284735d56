export { userRoutes, type UserRoutesOptions } from './user-routes.js';
export { apiKeyRoutes, type ApiKeyRoutesOptions } from './api-key-routes.js';
export { UserErrors } from './errors.js';
