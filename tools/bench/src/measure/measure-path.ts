import type { PathId } from '../options';
import type { PathFigures } from '../report/figures';
import {
  type Call,
  closedLoop,
  type LoadResult,
  untilReady,
} from './closed-loop';
import { summarize } from './stats';

export interface PathLoad {
  readonly id: PathId;
  readonly title: string;
  readonly unit: PathFigures['unit'];
  readonly inFlight: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Calls still available (a finite supply): read before the warm-up and before the measurement. */
  readonly remaining?: () => number;
  /** Runs around the measured window only (e.g. a CPU meter). */
  readonly around?: (measure: () => Promise<LoadResult>) => Promise<LoadResult>;
}

/** One answer first, then the warm-up load (discarded), then the measured load. */
export async function measurePath(
  call: Call,
  load: PathLoad,
): Promise<PathFigures> {
  await untilReady(call, load.title);
  const settings = (durationMs: number) => ({
    inFlight: load.inFlight,
    durationMs,
    ...(load.remaining ? { maxCalls: load.remaining() } : {}),
  });
  if (load.warmupMs > 0) await closedLoop(call, settings(load.warmupMs));
  const measure = () => closedLoop(call, settings(load.durationMs));
  const result = await (load.around ? load.around(measure) : measure());
  return figuresOf(load, result);
}

export function figuresOf(
  load: Pick<PathLoad, 'id' | 'title' | 'unit' | 'inFlight'>,
  result: LoadResult,
): PathFigures {
  return {
    id: load.id,
    title: load.title,
    inFlight: load.inFlight,
    calls: result.calls,
    errors: result.errors,
    ...(result.firstError === undefined
      ? {}
      : { firstError: result.firstError }),
    seconds: result.seconds,
    throughput: result.seconds > 0 ? result.calls / result.seconds : 0,
    unit: load.unit,
    latencyMs: summarize(result.latenciesMs) ?? null,
    ...(result.exhausted
      ? { note: 'ran out of prepared subtasks before the duration ended' }
      : {}),
  };
}
