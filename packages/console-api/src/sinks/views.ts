import type { Static } from 'typebox';
import type { Json, SinkDefinitionRecord } from '@watershed/store';
import type { SinkView } from './schemas.js';
import { maskSecrets } from './secrets.js';
import type { SinkRuntime } from './runtime.js';
import type { SinkInfo, SinkMetricsView, SinkStatus } from './status.js';

export type SinkViewBody = Static<typeof SinkView>;

const ZERO: SinkMetricsView = {
  matched: 0,
  success: 0,
  failed: 0,
  dropped: 0,
  queued: 0,
  inflight: 0,
  queuedMemory: 0,
  queuedDisk: 0,
  diskBytes: 0,
  recovered: 0,
  retries: 0,
  batches: 0,
};

/** Health and metrics of a sink, or what a stopped one shows (down, counters at zero). */
function running(status: SinkStatus, id: string, enabled: boolean): Pick<SinkInfo, 'health' | 'metrics'> {
  const info = status.get(id);
  if (info) return { health: info.health, metrics: info.metrics };
  const detail = enabled ? 'not running' : 'disabled';
  return { health: { state: 'down', detail, alarm: false, failures: 0 }, metrics: ZERO };
}

/** A sink of the store (made through the API), secrets masked. */
export function storedView(
  rec: SinkDefinitionRecord,
  status: SinkStatus,
  rules: readonly string[],
): SinkViewBody {
  return {
    id: rec.id,
    type: rec.type,
    origin: 'api',
    project: rec.project,
    enabled: rec.enabled,
    revision: rec.revision,
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
    config: maskSecrets(rec.config),
    ...running(status, rec.id, rec.enabled),
    rules: [...rules],
  };
}

/** A sink of the config file, secrets masked; without a runtime only its status is known. */
export function fileView(
  s: { id: string; type: string; config?: Readonly<Record<string, unknown>> },
  status: SinkStatus,
  rules: readonly string[],
): SinkViewBody {
  return {
    id: s.id,
    type: s.type,
    origin: 'file',
    enabled: true,
    ...(s.config && { config: maskSecrets(s.config) }),
    ...running(status, s.id, true),
    rules: [...rules],
  };
}

/** The file sinks a runtime reports, or (read-only server) every running sink. */
export function fileSinks(
  status: SinkStatus,
  runtime: SinkRuntime | undefined,
): { id: string; type: string; config?: Readonly<Record<string, unknown>> }[] {
  return runtime ? runtime.fileSinks() : status.list().map((s) => ({ id: s.id, type: s.type }));
}

/** What the audit log keeps of a sink: its definition with secrets masked, no counters. */
export function auditImage(rec: SinkDefinitionRecord): Json {
  return {
    id: rec.id,
    type: rec.type,
    project: rec.project,
    enabled: rec.enabled,
    revision: rec.revision,
    config: maskSecrets(rec.config) as { [key: string]: Json },
  };
}
