import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`; 100 on Linux almost always). */
export const CLOCK_TICKS_PER_SECOND = clockTicks();

function clockTicks(): number {
  try {
    const value = Number(
      execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(),
    );
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in clock ticks; undefined when it is gone or not visible. */
export function processCpuTicks(pid: number): number | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) may contain spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime)
    ? utime + stime
    : undefined;
}

/** Resident set size in bytes; undefined when the process is gone or not visible. */
export function processRssBytes(pid: number): number | undefined {
  const status = readProc(`/proc/${pid}/status`);
  const kb =
    status === undefined ? undefined : /^VmRSS:\s+(\d+) kB/m.exec(status);
  return kb?.[1] === undefined ? undefined : Number(kb[1]) * 1024;
}

export interface MachineTicks {
  readonly busy: number;
  readonly total: number;
}

/** Busy and total ticks of all CPUs since boot (/proc/stat); undefined off Linux. */
export function machineCpuTicks(): MachineTicks | undefined {
  const line = readProc('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as number[];
  const busy =
    (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0);
  // Time the hypervisor gave to other guests was not ours to use, nor idle.
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0) + (steal ?? 0) };
}
