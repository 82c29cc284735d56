/**
 * The project's benchmark report shape (DESIGN.md, "Benchmarks"): a readable table for people
 * and, as the very last line of output, one JSON object for programs.
 */

/** Whether a bigger or a smaller figure is the better one. */
export type Better = 'higher' | 'lower';

export interface BenchResult {
  name: string;
  /** msg/s, deliveries/s, ms, B/conn, % … */
  unit: string;
  ours: number;
  /** Peer label with version, e.g. "mosquitto 2.0.11". */
  peer?: string;
  peerValue?: number;
  /** ours ÷ peer, rounded; whether higher or lower is better is in `target`. */
  ratio?: number;
  target: string;
  pass: boolean;
  /** Why a result failed or what qualifies it (loss, stalls, generator CPU). */
  note?: string;
}

export interface BenchReport {
  bench: string;
  machine: string;
  results: BenchResult[];
}

/** What a scenario must reach; `ratio` targets compare with the peer, `ours` targets are absolute. */
export type Target =
  | { kind: 'ratio'; better: Better; bound: number }
  | { kind: 'ours'; better: Better; bound: number }
  | { kind: 'none' };

export function targetText(t: Target): string {
  if (t.kind === 'none') return 'info';
  return `${t.kind}${t.better === 'higher' ? '>=' : '<='}${t.bound}`;
}

/**
 * ours ÷ peer. A throughput ratio above 1 and a latency or memory ratio below 1 both mean
 * "ours is better"; the target string says which reading applies. Undefined when the peer
 * figure is missing or zero (a ratio against nothing means nothing).
 */
export function ratioOf(ours: number, peer: number | undefined): number | undefined {
  if (peer === undefined || !Number.isFinite(peer) || peer <= 0 || !Number.isFinite(ours)) return undefined;
  return round(ours / peer, 3);
}

export function meets(value: number | undefined, better: Better, bound: number): boolean {
  if (value === undefined || !Number.isFinite(value)) return false;
  return better === 'higher' ? value >= bound : value <= bound;
}

export interface ResultInput {
  name: string;
  unit: string;
  ours: number;
  peer?: { label: string; value: number };
  target: Target;
  /** Extra conditions of pass (zero loss, no stalls); each failing one is named in the note. */
  problems?: string[];
  note?: string;
}

/** Builds one result line: ratio, target text and pass (target met and no problems). */
export function result(r: ResultInput): BenchResult {
  const ratio = ratioOf(r.ours, r.peer?.value);
  const problems = r.problems ?? [];
  let targetMet = true;
  if (r.target.kind === 'ratio') targetMet = meets(ratio, r.target.better, r.target.bound);
  else if (r.target.kind === 'ours') targetMet = meets(r.ours, r.target.better, r.target.bound);
  const notes = [...problems, ...(r.note ? [r.note] : [])];
  return {
    name: r.name,
    unit: r.unit,
    ours: round(r.ours, 3),
    ...(r.peer && { peer: r.peer.label, peerValue: round(r.peer.value, 3) }),
    ...(ratio !== undefined && { ratio }),
    target: targetText(r.target),
    pass: targetMet && problems.length === 0,
    ...(notes.length > 0 && { note: notes.join('; ') }),
  };
}

/** Rounds to `digits` significant decimals without turning integers into floats. */
export function round(v: number, digits = 3): number {
  if (!Number.isFinite(v)) return v;
  if (Math.abs(v) >= 1000) return Math.round(v);
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function fmt(v: number | undefined): string {
  if (v === undefined) return '—';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return String(round(v, 3));
}

/** A fixed-width table of the results, one row per result. */
export function formatTable(report: BenchReport): string {
  const header = ['name', 'unit', 'ours', 'peer', 'peer value', 'ratio', 'target', 'pass', 'note'];
  const rows = report.results.map((r) => [
    r.name,
    r.unit,
    fmt(r.ours),
    r.peer ?? '—',
    fmt(r.peerValue),
    fmt(r.ratio),
    r.target,
    r.pass ? 'yes' : 'NO',
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `${report.bench} — ${report.machine}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

/** The single machine-readable line that ends every suite's output. */
export function jsonLine(report: BenchReport): string {
  return JSON.stringify(report);
}
