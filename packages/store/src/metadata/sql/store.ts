import type { MetadataStore } from '../types.js';
import { SqlApiKeys } from './api-keys.js';
import { SqlAudit } from './audit.js';
import { SqlEdgeConfigs } from './edge-configs.js';
import type { SqlExecutor } from './executor.js';
import { SqlRules } from './rules.js';
import { SqlUsers } from './users.js';

/** The metadata repositories over one adapter's executor. */
export function sqlMetadataStore(db: SqlExecutor): MetadataStore {
  return {
    rules: new SqlRules(db),
    edgeConfigs: new SqlEdgeConfigs(db),
    users: new SqlUsers(db),
    apiKeys: new SqlApiKeys(db),
    audit: new SqlAudit(db),
  };
}
