import type { Logger } from '@watershed/common';
import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { StreamSettings } from './config.js';
import { NatsSinkErrors } from './errors.js';

const RETENTION = {
  limits: RetentionPolicy.Limits,
  interest: RetentionPolicy.Interest,
  workqueue: RetentionPolicy.Workqueue,
} as const;
const STORAGE = { file: StorageType.File, memory: StorageType.Memory } as const;
const DISCARD = { old: DiscardPolicy.Old, new: DiscardPolicy.New } as const;

/** The server-side stream config for our settings. */
export function streamConfig(s: StreamSettings, subjects: readonly string[]): StreamConfig {
  // The server refuses a duplicate window longer than max_age (nothing older is kept to compare).
  const dupMs = s.maxAgeMs > 0 ? Math.min(s.duplicateWindowMs, s.maxAgeMs) : s.duplicateWindowMs;
  return {
    name: s.name,
    subjects: [...subjects],
    retention: RETENTION[s.retention],
    storage: STORAGE[s.storage],
    num_replicas: s.replicas,
    max_age: nanos(s.maxAgeMs),
    max_bytes: s.maxBytes,
    max_msgs: s.maxMsgs,
    discard: DISCARD[s.discard],
    duplicate_window: nanos(dupMs),
  } as StreamConfig;
}

/**
 * Makes the stream exist with our settings: created when missing, updated when an editable
 * setting differs. Retention and storage cannot change on an existing stream (the server refuses),
 * so a mismatch there is reported as WS_ERR_NATS_SINK_STREAM_CONFLICT rather than silently
 * publishing into a stream that behaves otherwise than configured.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  settings: StreamSettings,
  subjects: readonly string[],
  sink: string,
  logger: Logger,
): Promise<StreamInfo> {
  const want = streamConfig(settings, subjects);
  let info: StreamInfo;
  try {
    info = await jsm.streams.info(settings.name);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
    const created = await jsm.streams.add(want);
    logger.info({ stream: settings.name, subjects: want.subjects }, 'stream created');
    return created;
  }
  const have = info.config;
  for (const key of ['retention', 'storage'] as const) {
    if (have[key] !== want[key])
      throw NatsSinkErrors.STREAM_CONFLICT.create([sink, settings.name, key, have[key], want[key]]);
  }
  const editable = [
    'num_replicas',
    'max_age',
    'max_bytes',
    'max_msgs',
    'discard',
    'duplicate_window',
  ] as const;
  const changed =
    editable.some((k) => have[k] !== want[k]) ||
    [...(have.subjects ?? [])].sort().join(' ') !== [...want.subjects].sort().join(' ');
  if (!changed) return info;
  const { name: _name, retention: _r, storage: _s, ...update } = want;
  const updated = await jsm.streams.update(settings.name, update);
  logger.info({ stream: settings.name }, 'stream settings updated');
  return updated;
}
