import { performance } from 'node:perf_hooks';
import {
  CLOCK_TICKS_PER_SECOND,
  machineCpuTicks,
  processCpuTicks,
} from './proc';

/** Processes whose CPU time is summed under one name (e.g. every worker, every PostgreSQL backend). */
export interface ProcessGroup {
  readonly name: string;
  /** Looked up at the start and the end: pids that come and go are counted while seen. */
  pids(): Promise<readonly number[]>;
}

export interface CpuReading {
  /** CPU ms per group over the work; null when none of its processes could be read. */
  readonly ms: Readonly<Record<string, number | null>>;
  /** This process (the load generator), ms. */
  readonly benchMs: number;
  /** Average busy CPUs of the whole machine over the work (everything, not only ours). */
  readonly machineBusyCores: number | null;
  readonly seconds: number;
}

/** Runs `work` and reads how much CPU each group of processes used meanwhile (/proc, Linux). */
export async function meterCpu<T>(
  groups: readonly ProcessGroup[],
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuReading }> {
  const before = await Promise.all(groups.map((group) => ticksOf(group)));
  const machineBefore = machineCpuTicks();
  const benchBefore = process.cpuUsage();
  const began = performance.now();
  const result = await work();
  const seconds = (performance.now() - began) / 1000;
  const bench = process.cpuUsage(benchBefore);
  const machineAfter = machineCpuTicks();
  const after = await Promise.all(groups.map((group) => ticksOf(group)));

  const ms: Record<string, number | null> = {};
  groups.forEach((group, i) => {
    const start = before[i] as Map<number, number>;
    const end = after[i] as Map<number, number>;
    if (start.size === 0 && end.size === 0) {
      ms[group.name] = null;
      return;
    }
    let ticks = 0;
    // A process first seen at the end started during the work: all of its time counts.
    for (const [pid, endTicks] of end)
      ticks += endTicks - (start.get(pid) ?? 0);
    ms[group.name] = (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  });
  const machineBusyCores =
    machineBefore && machineAfter
      ? (machineAfter.busy - machineBefore.busy) /
        CLOCK_TICKS_PER_SECOND /
        seconds
      : null;
  return {
    result,
    cpu: {
      ms,
      benchMs: (bench.user + bench.system) / 1000,
      machineBusyCores,
      seconds,
    },
  };
}

async function ticksOf(group: ProcessGroup): Promise<Map<number, number>> {
  const ticks = new Map<number, number>();
  for (const pid of await group.pids()) {
    const value = processCpuTicks(pid);
    if (value !== undefined) ticks.set(pid, value);
  }
  return ticks;
}
