import { HISTORY_CASES, SCHEMA_CASES, type ExpectedProblem } from '../cases';
import { checkCompatibility, checkLevel } from './levels';
import { COMPATIBILITY_LEVELS } from './model';
import type { ReaderWriterResult } from './resolve';

/** Java may report a memoised problem twice; the registry keeps a set. */
function problemsOf(result: ReaderWriterResult): ExpectedProblem[] {
  const seen = new Set<string>();
  return result.incompatibilities
    .map((problem) => ({
      rule: problem.type,
      path: problem.location,
      avroMessage: problem.message,
    }))
    .filter((problem) => {
      const key = JSON.stringify(problem);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

describe('the case table (Avro 1.12 Java SchemaCompatibility behaviour)', () => {
  it('has unique case names', () => {
    const names = [...SCHEMA_CASES, ...HISTORY_CASES].map(
      (schemaCase) => schemaCase.name,
    );
    expect(new Set(names).size).toBe(names.length);
  });

  describe.each(
    SCHEMA_CASES.map((schemaCase) => [schemaCase.name, schemaCase] as const),
  )('%s', (_name, schemaCase) => {
    it('reports the problems Java reports with the new schema as reader', () => {
      const result = checkCompatibility({
        reader: schemaCase.new,
        writer: schemaCase.old,
      });
      expect(problemsOf(result)).toEqual(schemaCase.backwardProblems);
      expect(result.compatible).toBe(schemaCase.backwardProblems.length === 0);
    });

    it('reports the problems Java reports with the old schema as reader', () => {
      const result = checkCompatibility({
        reader: schemaCase.old,
        writer: schemaCase.new,
      });
      expect(problemsOf(result)).toEqual(schemaCase.forwardProblems);
      expect(result.compatible).toBe(schemaCase.forwardProblems.length === 0);
    });

    it.each(COMPATIBILITY_LEVELS.map((level) => [level]))(
      'gives the expected verdict under %s',
      (level) => {
        const result = checkLevel({
          level,
          newSchema: schemaCase.new,
          previous: [schemaCase.old],
        });
        expect(result.compatible).toBe(schemaCase.expected[level]);
        expect(result.errors.length === 0).toBe(result.compatible);
        expect(result.level).toBe(level);
      },
    );
  });

  describe.each(
    HISTORY_CASES.map(
      (historyCase) => [historyCase.name, historyCase] as const,
    ),
  )('history %s', (_name, historyCase) => {
    it.each(COMPATIBILITY_LEVELS.map((level) => [level]))(
      'gives the expected verdict under %s',
      (level) => {
        const result = checkLevel({
          level,
          newSchema: historyCase.new,
          previous: historyCase.previous,
        });
        expect(result.compatible).toBe(historyCase.expected[level]);
      },
    );
  });
});
