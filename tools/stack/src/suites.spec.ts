import { countJestTests, formatSummary } from './suites';

describe('countJestTests', () => {
  it('adds up every Jest summary line, colours and all', () => {
    const output = [
      '\u001b[1mTests:       \u001b[22m\u001b[1m\u001b[32m10 passed\u001b[39m\u001b[22m, 10 total',
      'noise',
      'Tests:       1 failed, 2 skipped, 4 passed, 7 total',
      'Tests:       1 todo, 3 passed, 4 total',
    ].join('\n');
    expect(countJestTests(output)).toEqual({
      passed: 17,
      failed: 1,
      skipped: 3,
    });
  });

  it('counts nothing when no Jest summary was printed', () => {
    expect(countJestTests('lint ok\n')).toEqual({
      passed: 0,
      failed: 0,
      skipped: 0,
    });
  });
});

describe('formatSummary', () => {
  it('ends with the totals line and names failed suites', () => {
    const text = formatSummary([
      {
        name: 'unit',
        ok: true,
        seconds: 3,
        tests: { passed: 5, failed: 0, skipped: 0 },
      },
      {
        name: 'integration',
        ok: false,
        seconds: 9,
        tests: { passed: 2, failed: 1, skipped: 0 },
      },
    ]);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('tests: 7 passed, 1 failed');
    expect(text).toContain('failed suites: integration');
    expect(text).toMatch(/FAIL\s+integration/);
  });
});
