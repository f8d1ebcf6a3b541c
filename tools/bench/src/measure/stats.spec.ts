import { percentile, summarize } from './stats';

describe('latency statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.95)).toBe(95);
    expect(percentile(sorted, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it('summarizes unsorted latencies, and nothing as undefined', () => {
    expect(summarize([3, 1, 2, 4])).toEqual({
      p50: 2,
      p95: 4,
      p99: 4,
      mean: 2.5,
      max: 4,
    });
    expect(summarize([])).toBeUndefined();
  });
});
