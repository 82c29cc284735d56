import Database from 'better-sqlite3';
import { Outbox } from '@watershed/edge-runtime';
import { dataTopic, encodeUplink } from '@watershed/model';
import {
  NODE,
  SITE,
  groupName,
  groupTags,
  groupsPerDevice,
  tagName,
  valueAt,
  type PlantLayout,
} from './plan.js';

export interface Backlog {
  messages: number;
  samples: number;
  bytes: number;
}

/**
 * Writes what an outage of `seconds` leaves in the gateway's store-and-forward buffer: every
 * group's poll of every second, oldest first, with the timestamps of the `seconds` before
 * `endMs`. The runtime's own `Outbox` creates the file (its schema, its pragmas); the rows are
 * then inserted as `Outbox.append` inserts them (topic, encodeUplink payload, ts, per-group
 * `seq` saved in group_seq), but in one transaction instead of one per message, so 72,000
 * messages take seconds, not minutes. Only the polling is skipped: living through a 10-minute
 * outage would make the suite 10 minutes longer and measure nothing more.
 */
export function writeBacklog(file: string, l: PlantLayout, seconds: number, endMs: number): Backlog {
  new Outbox({ file }).close();
  const db = new Database(file);
  let samples = 0;
  let bytes = 0;
  let messages = 0;
  try {
    const insert = db.prepare('INSERT INTO outbox (grp, seq, topic, payload, ts) VALUES (?, ?, ?, ?, ?)');
    const saveSeq = db.prepare(
      'INSERT INTO group_seq (grp, last_seq) VALUES (?, ?) ON CONFLICT (grp) DO UPDATE SET last_seq = excluded.last_seq',
    );
    const start = endMs - seconds * l.intervalMs;
    db.transaction(() => {
      for (let k = 0; k < seconds; k++) {
        const ts = start + k * l.intervalMs;
        const second = Math.floor(ts / 1000);
        for (let d = 0; d < l.devices; d++)
          for (let g = 0; g < groupsPerDevice(l); g++) {
            const values: Record<string, number> = {};
            const tags = groupTags(l, g);
            for (const t of tags) values[tagName(t)] = Math.fround(valueAt(l, d, t, second));
            const group = groupName(d, g);
            const payload = encodeUplink({ v: 1, node: NODE, group, ts, seq: k, values });
            insert.run(group, k, dataTopic(SITE, NODE, group), payload, ts);
            saveSeq.run(group, k);
            samples += tags.length;
            bytes += payload.length;
            messages++;
          }
      }
    })();
  } finally {
    db.close();
  }
  return { messages, samples, bytes };
}
