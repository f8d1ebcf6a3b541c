import type { BenchContext } from '../context';
import { closedLoop } from '../measure/closed-loop';
import { meterCpu } from '../measure/cpu-meter';
import { figuresOf } from '../measure/measure-path';
import { processRssBytes } from '../measure/proc';
import type { FullPathSystem } from '../system/full-path-system';
import { cpuPerUpload } from '../report/cpu-per-upload';
import type { CpuPerUpload, PathFigures, RssFigures } from '../report/figures';

export interface UploadsRun {
  readonly path: PathFigures;
  readonly cpu: CpuPerUpload;
  readonly rss: RssFigures;
}

/**
 * `--uploads` uploads with ?wait=true: CPU per upload of every process; RSS of the apps before, after
 * the first fifth (the "flat from 20k to 100k") and after.
 */
export async function measureUploadsRun(
  context: BenchContext,
  system: FullPathSystem,
): Promise<UploadsRun> {
  const { options } = context;
  // Also after a change of workers: their group has just rebalanced.
  if (options.warmupMs > 0)
    await closedLoop(system.waitCall, {
      inFlight: options.inFlight,
      durationMs: options.warmupMs,
    });
  const apps = { api: system.api, worker: system.workers[0] };
  const rssMb = () =>
    Object.fromEntries(
      Object.entries(apps).map(([name, app]) => {
        const bytes = app === undefined ? undefined : processRssBytes(app.pid);
        return [name, bytes === undefined ? null : bytes / 2 ** 20];
      }),
    );
  const beforeMb = rssMb();
  const checkpointAt = Math.floor(options.uploads / 5);
  let checkpoint: RssFigures['checkpoint'] = null;
  const call: typeof system.waitCall = (index, slot) => {
    if (index === checkpointAt && checkpointAt > 0)
      checkpoint = { uploads: checkpointAt, mb: rssMb() };
    return system.waitCall(index, slot);
  };
  const { result, cpu } = await meterCpu(system.groups, () =>
    closedLoop(call, {
      inFlight: options.inFlight,
      durationMs: Number.POSITIVE_INFINITY,
      maxCalls: options.uploads,
    }),
  );
  // Failed uploads went through the path too: the CPU is shared by every request.
  const requests = result.calls + result.errors;
  const path = figuresOf(
    {
      id: 'uploads',
      title: `${options.uploads.toLocaleString('en')} uploads ?wait=true (the CPU and RSS run)`,
      unit: 'uploads/s',
      inFlight: options.inFlight,
    },
    result,
  );
  return {
    path: { ...path, cpu, note: 'a fixed count of uploads, not a duration' },
    cpu: cpuPerUpload(
      `${requests.toLocaleString('en')} uploads, ?wait=true, ${options.inFlight} in flight, 1 worker`,
      requests,
      1,
      cpu,
    ),
    rss: { uploads: requests, beforeMb, checkpoint, afterMb: rssMb() },
  };
}
