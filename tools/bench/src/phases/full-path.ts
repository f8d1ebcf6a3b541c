import type { BenchContext } from '../context';
import { type CpuReading, meterCpu } from '../measure/cpu-meter';
import { measurePath } from '../measure/measure-path';
import { PATH_GROUPS, type PathId } from '../options';
import { measureAcceptedUploads } from '../paths/accepted-uploads';
import { measureUploadsRun } from '../paths/uploads-run';
import { cpuPerUpload } from '../report/cpu-per-upload';
import type {
  CpuPerUpload,
  PathFigures,
  Problem,
  RssFigures,
} from '../report/figures';
import { progressLine } from '../report/progress';
import { type ForeignApps, ForeignAppsError } from '../system/foreign-apps';
import { FullPathSystem } from '../system/full-path-system';
import { OtlpSink } from '../system/otlp-sink';
import { cleanedUpOnInterrupt } from '../system/interrupt-cleanup';

export interface FullPathFigures {
  readonly paths: PathFigures[];
  readonly cpu: CpuPerUpload[];
  readonly rss: RssFigures | null;
  readonly skipped: Problem[];
  readonly warnings: string[];
}

/**
 * The full path against the real api and worker processes on the apps' real topics, each path
 * measured while no other api/worker process is in the apps' groups: PUT ?wait=true with N in flight, the same with
 * `--workers` workers, with tracing exported, with 1 in flight, the CPU/RSS run of `--uploads` uploads, PUT
 * without wait (202).
 */
export async function measureFullPath(
  context: BenchContext,
  selected: ReadonlySet<PathId>,
  foreign: ForeignApps,
): Promise<FullPathFigures> {
  const system = await FullPathSystem.start(context);
  return cleanedUpOnInterrupt(
    () => system.stop(),
    () => measureOn(system, context, selected, foreign),
  );
}

async function measureOn(
  system: FullPathSystem,
  context: BenchContext,
  selected: ReadonlySet<PathId>,
  foreign: ForeignApps,
): Promise<FullPathFigures> {
  const { options, log } = context;
  const figures = {
    paths: [] as PathFigures[],
    cpu: [] as CpuPerUpload[],
    rss: null as RssFigures | null,
    skipped: [] as Problem[],
    warnings: [] as string[],
  };
  const guarded = async <T>(id: PathId, work: () => Promise<T>) => {
    const { value, disturbedBy } = await foreign.undisturbed({
      what: id,
      idleWaitMs: options.idleWaitMs,
      log,
      work,
    });
    if (disturbedBy.length > 0)
      figures.warnings.push(
        `${id}: other api/worker processes joined the apps' groups on every attempt (figures disturbed): ${disturbedBy.join('; ')}`,
      );
    return value;
  };
  const record = (path: PathFigures) => {
    figures.paths.push(path);
    log(`  ${progressLine(path)}`);
    return path;
  };
  const waitPath = async (id: PathId, title: string, inFlight: number) => {
    let cpu: CpuReading | undefined;
    const path = await measurePath(system.waitCall, {
      id,
      title,
      inFlight,
      unit: 'uploads/s',
      warmupMs: options.warmupMs,
      durationMs: options.durationMs,
      around: async (measure) => {
        const run = await meterCpu(system.groups, measure);
        cpu = run.cpu;
        return run.result;
      },
    });
    return cpu === undefined ? path : { ...path, cpu };
  };
  const cpuOf = (path: PathFigures, label: string, workers: number) => {
    if (path.cpu)
      figures.cpu.push(
        cpuPerUpload(label, path.calls + path.errors, workers, path.cpu),
      );
  };

  try {
    if (selected.has('http-wait')) {
      const path = await guarded('http-wait', () =>
        waitPath(
          'http-wait',
          'PUT /subtasks/:id/result?wait=true (api + worker + PostgreSQL)',
          options.inFlight,
        ),
      );
      record(path);
      cpuOf(path, `http-wait run, ${options.inFlight} in flight, 1 worker`, 1);
    }
    // Right after the one-worker run, so that the pair shares the machine's load of the moment.
    if (selected.has('http-wait-workers')) {
      while (system.workers.length < options.workers) await system.addWorker();
      const path = await guarded('http-wait-workers', () =>
        waitPath(
          'http-wait-workers',
          `PUT ?wait=true with ${options.workers} worker processes`,
          options.inFlight,
        ),
      );
      record(path);
      cpuOf(
        path,
        `http-wait run, ${options.inFlight} in flight, ${options.workers} workers`,
        options.workers,
      );
      await system.stopExtraWorkers();
    }
    // Tracing exported (OTLP/HTTP to a sink that discards), then the apps back without it.
    if (selected.has('http-wait-traced')) {
      const sink = await OtlpSink.start();
      try {
        await system.restartWith({
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
        });
        const path = await guarded('http-wait-traced', () =>
          waitPath(
            'http-wait-traced',
            'PUT ?wait=true with tracing exported (OTLP/HTTP, every span)',
            options.inFlight,
          ),
        );
        record(path);
        cpuOf(path, `http-wait run, ${options.inFlight} in flight, traced`, 1);
        log(
          `  traced: ${sink.exports} OTLP exports, ${Math.round(sink.bytes / 1024)} KiB`,
        );
      } finally {
        await system.restartWith({});
        await sink.stop();
      }
    }
    if (selected.has('http-wait-seq'))
      record(
        await guarded('http-wait-seq', () =>
          waitPath('http-wait-seq', 'PUT ?wait=true, one at a time', 1),
        ),
      );
    if (selected.has('uploads')) {
      const run = await guarded('uploads', () =>
        measureUploadsRun(context, system),
      );
      record(run.path);
      figures.cpu.unshift(run.cpu);
      figures.rss = run.rss;
    }
    if (selected.has('http-202')) {
      const storeRate = Math.max(
        0,
        ...figures.paths
          .filter((p) => p.unit === 'uploads/s' && p.inFlight !== 1)
          .map((p) => p.throughput),
      );
      // 202s are answered faster than the worker stores (about twice, so far): prepare for 3×.
      const expectedRate = Math.max(300, 3 * storeRate);
      record(
        await guarded('http-202', () =>
          measureAcceptedUploads(context, system, expectedRate),
        ),
      );
    }
  } catch (error) {
    if (!(error instanceof ForeignAppsError)) throw error;
    const measured = new Set(figures.paths.map((path) => path.id));
    for (const id of PATH_GROUPS['http'] ?? [])
      if (selected.has(id) && !measured.has(id))
        figures.skipped.push({ phase: id, message: error.message });
  } finally {
    await system.stop();
  }
  return figures;
}
