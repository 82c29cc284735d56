import { readFileSync } from 'node:fs';

/** Linux /proc readings of another process, for broker memory and CPU. */

/** Resident set size in bytes (VmRSS in /proc/PID/status). */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** User + system CPU time of a process in seconds (fields 14 and 15 of /proc/PID/stat). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields are counted after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / CLOCK_TICKS;
}

/** USER_HZ; 100 on every Linux architecture Node supports. */
const CLOCK_TICKS = 100;

/** The soft and hard open-file limits of a process (/proc/PID/limits). */
export function openFileLimits(pid: number | 'self' = 'self'): { soft: number; hard: number } {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(
    readFileSync(`/proc/${pid}/limits`, 'utf8'),
  );
  const n = (s: string | undefined): number => (s === undefined || s === 'unlimited' ? Infinity : Number(s));
  return { soft: n(m?.[1]), hard: n(m?.[2]) };
}

/** Measures this process's CPU share over an interval, in percent of one core. */
export class CpuMeter {
  #cpu = process.cpuUsage();
  #wall = process.hrtime.bigint();

  reset(): void {
    this.#cpu = process.cpuUsage();
    this.#wall = process.hrtime.bigint();
  }

  percent(): number {
    const used = process.cpuUsage(this.#cpu);
    const wallUs = Number(process.hrtime.bigint() - this.#wall) / 1000;
    return wallUs > 0 ? ((used.user + used.system) / wallUs) * 100 : 0;
  }
}
