import type { CpuReading } from '../measure/cpu-meter';
import type { LatencySummary } from '../measure/stats';
import type { PathId } from '../options';

/** One measured path, as printed in the table and written to the JSON. */
export interface PathFigures {
  readonly id: PathId;
  readonly title: string;
  /** Calls in flight; null for in-process loops (serde). */
  readonly inFlight: number | null;
  /** Successful calls in the measured window. */
  readonly calls: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly seconds: number;
  /** Successful calls per second. */
  readonly throughput: number;
  readonly unit: 'msg/s' | 'ops/s' | 'uploads/s' | 'accepted/s';
  /** Null for in-process loops, which time batches, not single calls. */
  readonly latencyMs: LatencySummary | null;
  /** CPU of the processes involved during the measured window (full path only). */
  readonly cpu?: CpuReading;
  readonly note?: string;
}

export interface Ratio {
  readonly anchor: PathId;
  readonly value: number;
}

export interface PathRow extends PathFigures {
  /** This path's throughput over its anchor's (higher is better). */
  readonly throughputRatio: Ratio | null;
  /** This path's p50 over its anchor's (lower is better). */
  readonly p50Ratio: Ratio | null;
}

/** CPU ms per upload of each process over the `uploads` run (and the `--workers` run). */
export interface CpuPerUpload {
  readonly label: string;
  readonly uploads: number;
  readonly workers: number;
  readonly perUploadMs: Readonly<Record<string, number | null>>;
  readonly totalPerUploadMs: number;
  readonly machineBusyCores: number | null;
  readonly seconds: number;
}

export interface RssFigures {
  readonly uploads: number;
  readonly beforeMb: Readonly<Record<string, number | null>>;
  /** After the first fifth of the uploads, when start-up and warm-up allocations have settled. */
  readonly checkpoint: {
    readonly uploads: number;
    readonly mb: Readonly<Record<string, number | null>>;
  } | null;
  readonly afterMb: Readonly<Record<string, number | null>>;
}

export interface Machine {
  readonly cores: number;
  readonly cpuLimit: string;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly memoryGb: number;
  readonly loadAverageAtStart: readonly number[];
  /** 1, 5 and 15 minute load averages when the run ended: other people's work shows here. */
  readonly loadAverageAtEnd: readonly number[];
}

export interface Problem {
  readonly phase: string;
  readonly message: string;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly runSeconds: number;
  readonly runId: string;
  readonly machine: Machine;
  readonly options: {
    readonly inFlight: number;
    readonly durationS: number;
    readonly warmupS: number;
    readonly rounds: number;
    readonly uploads: number;
    readonly workers: number;
    readonly only: readonly PathId[];
  };
  readonly paths: readonly PathRow[];
  readonly cpu: readonly CpuPerUpload[];
  readonly rss: RssFigures | null;
  /** Paths not measured, and why (e.g. other people's apps kept running). */
  readonly skipped: readonly Problem[];
  /** Phases that failed; their figures are missing. */
  readonly failures: readonly Problem[];
  /** Things that may have disturbed the figures. */
  readonly warnings: readonly string[];
}
