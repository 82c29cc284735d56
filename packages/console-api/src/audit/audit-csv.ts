import type { AuditEntry } from '@watershed/store';
import { csvField } from '../export-format.js';

/** RFC 4180 CSV of audit entries; before/after are JSON inside their field. */
export const AUDIT_CSV_HEADER = 'seq,at,time,actor,action,resource,project,from,before,after\r\n';

export function auditCsvLine(e: AuditEntry): string {
  const json = (v: unknown) => (v === undefined ? '' : csvField(JSON.stringify(v)));
  return (
    [
      String(e.seq),
      String(e.at),
      new Date(e.at).toISOString(),
      csvField(e.actor),
      csvField(e.action),
      csvField(e.resource),
      csvField(e.project ?? ''),
      csvField(e.from ?? ''),
      json(e.before),
      json(e.after),
    ].join(',') + '\r\n'
  );
}

/** The store's JSON lines, as they are or as CSV with a header line. */
export async function* auditExportLines(
  lines: AsyncIterable<string>,
  format: 'csv' | 'jsonl',
): AsyncGenerator<string> {
  if (format === 'jsonl') {
    yield* lines;
    return;
  }
  yield AUDIT_CSV_HEADER;
  for await (const line of lines) yield auditCsvLine(JSON.parse(line) as AuditEntry);
}
