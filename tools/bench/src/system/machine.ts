import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Machine } from '../report/figures';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The cgroup's CPU quota (v2 `cpu.max`, v1 `cfs_quota_us`), or that there is none. */
export function cgroupCpuLimit(): string {
  const v2 = read('/sys/fs/cgroup/cpu.max');
  if (v2 !== undefined) {
    const [quota, period] = v2.split(/\s+/);
    return quota === 'max' || quota === undefined || period === undefined
      ? 'no cgroup CPU quota'
      : `cgroup quota ${(Number(quota) / Number(period)).toFixed(2)} CPUs`;
  }
  const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return quota > 0 && period > 0
    ? `cgroup quota ${(quota / period).toFixed(2)} CPUs`
    : 'no cgroup CPU quota';
}

export function loadAverage(): number[] {
  return os.loadavg().map((load) => Math.round(load * 100) / 100);
}

export function describeMachine(): Omit<Machine, 'loadAverageAtEnd'> {
  return {
    cores: os.availableParallelism(),
    cpuLimit: cgroupCpuLimit(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverageAtStart: os
      .loadavg()
      .map((load) => Math.round(load * 100) / 100),
  };
}
