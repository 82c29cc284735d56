import { Asset, Site } from '@watershed/model';
import { Type } from 'typebox';
import type {
  AssetFilter,
  AssetInput,
  MetadataStore,
  ProjectFilter,
  SinkDefinitionInput,
  SiteInput,
} from '../types.js';
import { SqlApiKeys } from './api-keys.js';
import { SqlAudit } from './audit.js';
import { SqlDocuments } from './documents.js';
import { SqlEdgeConfigs } from './edge-configs.js';
import { SqlGateways } from './gateways.js';
import { sqlAlarmRepositories } from './alarms.js';
import type { SqlExecutor } from './executor.js';
import { SqlRules } from './rules.js';
import { SqlSessions } from './sessions.js';
import { SqlUsers } from './users.js';

/** The metadata repositories over one adapter's executor. */
export function sqlMetadataStore(db: SqlExecutor): MetadataStore {
  return {
    sites: new SqlDocuments<SiteInput, ProjectFilter>(db, {
      kind: 'site',
      table: '$S.md_sites',
      schema: Site,
      columns: [],
      inUse: { sql: 'SELECT 1 FROM $S.md_assets WHERE site = ?', user: 'assets' },
    }),
    assets: new SqlDocuments<AssetInput, AssetFilter>(db, {
      kind: 'asset',
      table: '$S.md_assets',
      schema: Asset,
      columns: ['site'],
    }),
    sinks: new SqlDocuments<SinkDefinitionInput, ProjectFilter>(db, {
      kind: 'sink',
      table: '$S.md_sinks',
      schema: SinkDefinitionDoc,
      columns: [],
    }),
    rules: new SqlRules(db),
    edgeConfigs: new SqlEdgeConfigs(db),
    gateways: new SqlGateways(db),
    alarms: sqlAlarmRepositories(db),
    users: new SqlUsers(db),
    sessions: new SqlSessions(db),
    apiKeys: new SqlApiKeys(db),
    audit: new SqlAudit(db),
  };
}

/** A stored sink definition without its project; the type's own fields are the server's to check. */
const SinkDefinitionDoc = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    type: Type.String({ minLength: 1 }),
    enabled: Type.Boolean(),
    config: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
