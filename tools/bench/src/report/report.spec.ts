import type { PathId } from '../options';
import type { PathFigures } from './figures';
import { withRatios } from './ratios';
import { pathTable, rssLine } from './table';

const path = (
  id: PathId,
  throughput: number,
  p50: number | null,
): PathFigures => ({
  id,
  title: id,
  inFlight: p50 === null ? null : 50,
  calls: throughput * 10,
  errors: 0,
  seconds: 10,
  throughput,
  unit: p50 === null ? 'ops/s' : 'msg/s',
  latencyMs:
    p50 === null
      ? null
      : { p50, p95: p50 * 2, p99: p50 * 3, mean: p50, max: p50 * 4 },
});

describe('ratios and the table', () => {
  const rows = withRatios([
    path('serde-json', 400_000, null),
    path('serde-contract', 200_000, null),
    path('anchor-a', 1_400, 34),
    path('anchor-b', 1_200, 38),
    path('typed-dispatch', 1_100, 42),
    path('http-wait', 140, 356),
  ]);
  const row = (id: PathId) => rows.find((r) => r.id === id);

  it('pairs each path with its anchors of the same run', () => {
    expect(row('serde-contract')?.throughputRatio).toEqual({
      anchor: 'serde-json',
      value: 0.5,
    });
    expect(row('typed-dispatch')?.throughputRatio?.anchor).toBe('anchor-b');
    expect(row('typed-dispatch')?.p50Ratio).toEqual({
      anchor: 'anchor-a',
      value: 42 / 34,
    });
    expect(row('http-wait')?.throughputRatio?.value).toBeCloseTo(0.1);
    expect(row('anchor-a')?.throughputRatio).toBeNull();
  });

  it('has no ratio when the anchor was not measured', () => {
    const [alone] = withRatios([path('http-wait-seq', 66, 14.2)]);
    expect(alone?.throughputRatio).toBeNull();
    expect(alone?.p50Ratio).toBeNull();
  });

  it('prints one aligned Markdown row per path, anchors named', () => {
    const lines = pathTable(rows).split('\n');
    expect(lines).toHaveLength(2 + rows.length);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(lines.find((l) => l.startsWith('| anchor-a '))).toContain('anchor');
    expect(lines.find((l) => l.startsWith('| http-wait '))).toContain(
      '0.10× anchor-a',
    );
  });
});

describe('the RSS line', () => {
  it('shows each app before, after the first fifth and after, with the growth since the fifth', () => {
    expect(
      rssLine({
        uploads: 100_000,
        beforeMb: { api: 200, worker: 190 },
        checkpoint: { uploads: 20_000, mb: { api: 250, worker: 200 } },
        afterMb: { api: 260, worker: 199 },
      }),
    ).toBe(
      'RSS before → after 20,000 → after 100,000 uploads: api 200 → 250 → 260 MB (4.0% after the first 20,000), worker 190 → 200 → 199 MB (-0.5% after the first 20,000)',
    );
  });

  it('says before and after only when the run was too short for a checkpoint', () => {
    expect(
      rssLine({
        uploads: 3,
        beforeMb: { api: 200 },
        checkpoint: null,
        afterMb: { api: null },
      }),
    ).toBe('RSS before → after 3 uploads: api 200 → ? MB');
  });
});
