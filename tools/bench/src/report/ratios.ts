import type { PathId } from '../options';
import type { PathFigures, PathRow, Ratio } from './figures';

/**
 * Which figure each path is compared with: throughput against the path that does the same job with
 * less (the pairs), p50 against the bare kafkajs round trip at the same concurrency.
 */
export const ANCHORS: Readonly<
  Partial<Record<PathId, { throughput?: PathId; p50?: PathId }>>
> = {
  'serde-contract': { throughput: 'serde-json' },
  'serde-avsc': { throughput: 'serde-json' },
  'anchor-b': { throughput: 'anchor-a', p50: 'anchor-a' },
  'typed-send': { throughput: 'anchor-b', p50: 'anchor-a' },
  'typed-dispatch': { throughput: 'anchor-b', p50: 'anchor-a' },
  'typed-dispatch-seq': { throughput: 'anchor-a-seq', p50: 'anchor-a-seq' },
  emit: { throughput: 'produce', p50: 'produce' },
  'http-wait': { throughput: 'anchor-a', p50: 'anchor-a' },
  'http-wait-seq': { throughput: 'anchor-a-seq', p50: 'anchor-a-seq' },
  uploads: { throughput: 'anchor-a', p50: 'anchor-a' },
  'http-202': { throughput: 'anchor-a', p50: 'anchor-a' },
  'http-wait-workers': { throughput: 'http-wait', p50: 'http-wait' },
  'http-wait-traced': { throughput: 'http-wait', p50: 'http-wait' },
};

/** Each path with its ratios to its anchors measured in the same run (null when one is missing). */
export function withRatios(paths: readonly PathFigures[]): PathRow[] {
  const byId = new Map(paths.map((path) => [path.id, path]));
  const ratio = (
    path: PathFigures,
    anchorId: PathId | undefined,
    figure: (p: PathFigures) => number | undefined,
  ): Ratio | null => {
    const anchor = anchorId === undefined ? undefined : byId.get(anchorId);
    const mine = figure(path);
    const theirs = anchor === undefined ? undefined : figure(anchor);
    if (anchorId === undefined || mine === undefined || !theirs) return null;
    return { anchor: anchorId, value: mine / theirs };
  };
  return paths.map((path) => {
    const anchors = ANCHORS[path.id] ?? {};
    return {
      ...path,
      throughputRatio: ratio(path, anchors.throughput, (p) => p.throughput),
      p50Ratio: ratio(path, anchors.p50, (p) => p.latencyMs?.p50),
    };
  });
}
