import type { PathFigures } from '../report/figures';
import {
  type Call,
  closedLoop,
  type LoadResult,
  untilReady,
} from './closed-loop';
import { figuresOf, type PathLoad } from './measure-path';

export interface InterleavedPath {
  readonly load: Pick<PathLoad, 'id' | 'title' | 'unit' | 'inFlight'>;
  readonly call: Call;
}

export interface Rounds {
  readonly warmupMs: number;
  /** Measured time per path, split evenly over the rounds. */
  readonly durationMs: number;
  readonly rounds: number;
}

/** Unmeasured load before each slice: the path's consumers sat idle while the others ran. */
const REWARM_MS = 500;

/**
 * Measures the paths in rounds, each round giving every path one slice of its duration, so that
 * paths compared with each other met the same machine load (other people's work comes and goes
 * within minutes). Each path is first answered once and warmed up.
 */
export async function measureInterleaved(
  paths: readonly InterleavedPath[],
  settings: Rounds,
  onMeasured: (path: PathFigures) => void = () => undefined,
): Promise<PathFigures[]> {
  for (const path of paths) {
    await untilReady(path.call, path.load.title);
    if (settings.warmupMs > 0)
      await closedLoop(path.call, {
        inFlight: path.load.inFlight,
        durationMs: settings.warmupMs,
      });
  }
  const sliceMs = settings.durationMs / settings.rounds;
  const rewarmMs = Math.min(REWARM_MS, sliceMs / 10);
  const results = paths.map((): LoadResult[] => []);
  for (let round = 0; round < settings.rounds; round++) {
    for (const [i, path] of paths.entries()) {
      const load = (durationMs: number) =>
        closedLoop(path.call, { inFlight: path.load.inFlight, durationMs });
      if (round > 0 || i > 0) await load(rewarmMs);
      results[i]?.push(await load(sliceMs));
    }
  }
  return paths.map((path, i) => {
    const figures = figuresOf(path.load, mergeLoads(results[i] ?? []));
    onMeasured(figures);
    return figures;
  });
}

/** The slices of one path as one load. */
export function mergeLoads(slices: readonly LoadResult[]): LoadResult {
  const firstError = slices.find((slice) => slice.firstError)?.firstError;
  return {
    calls: slices.reduce((sum, slice) => sum + slice.calls, 0),
    errors: slices.reduce((sum, slice) => sum + slice.errors, 0),
    seconds: slices.reduce((sum, slice) => sum + slice.seconds, 0),
    latenciesMs: slices.flatMap((slice) => slice.latenciesMs),
    ...(firstError === undefined ? {} : { firstError }),
    exhausted: slices.some((slice) => slice.exhausted),
  };
}
