import type { CpuReading } from '../measure/cpu-meter';
import type { CpuPerUpload } from './figures';

/** A CPU reading over `uploads` uploads, per upload; the load generator is listed as `bench`. */
export function cpuPerUpload(
  label: string,
  uploads: number,
  workers: number,
  reading: CpuReading,
): CpuPerUpload {
  const perUploadMs: Record<string, number | null> = {};
  let total = 0;
  for (const [name, ms] of Object.entries({
    ...reading.ms,
    bench: reading.benchMs,
  })) {
    const each = ms === null || uploads === 0 ? null : ms / uploads;
    perUploadMs[name] = each;
    total += each ?? 0;
  }
  return {
    label,
    uploads,
    workers,
    perUploadMs,
    totalPerUploadMs: total,
    machineBusyCores: reading.machineBusyCores,
    seconds: reading.seconds,
  };
}
