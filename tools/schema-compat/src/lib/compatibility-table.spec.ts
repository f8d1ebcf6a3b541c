import { HISTORY_CASES, SCHEMA_CASES, type ExpectedProblem } from '../cases';
import {
  checkCompatibility,
  checkLevel,
  type CompatibilityError,
} from './levels';
import { COMPATIBILITY_LEVELS } from './model';
import { checkRegistration } from './registration';
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
    it('keeps the versions the registry keeps', () => {
      const result = checkRegistration({
        level: 'NONE',
        newSchema: historyCase.new,
        history: historyCase.previous,
      });
      expect(result.stored).toHaveLength(historyCase.storedVersions);
      expect(result.existing?.version).toBe(historyCase.existingVersion);
    });

    it.each(COMPATIBILITY_LEVELS.map((level) => [level]))(
      'gives the expected verdict under %s',
      (level) => {
        const result = checkRegistration({
          level,
          newSchema: historyCase.new,
          history: historyCase.previous,
        });
        expect(result.compatible).toBe(historyCase.expected[level]);
        expect(result.errors.length === 0).toBe(result.compatible);
      },
    );
  });

  describe('every rejection has a rule and a fix that names its cause', () => {
    const rejections: [string, string, CompatibilityError][] = [
      ...SCHEMA_CASES.flatMap((schemaCase) =>
        checkLevel({
          level: 'FULL',
          newSchema: schemaCase.new,
          previous: [schemaCase.old],
        }).errors.map(
          (error) =>
            [schemaCase.name, `${error.rule} at ${error.path}`, error] as [
              string,
              string,
              CompatibilityError,
            ],
        ),
      ),
      ...HISTORY_CASES.flatMap((historyCase) =>
        checkRegistration({
          level: 'FULL_TRANSITIVE',
          newSchema: historyCase.new,
          history: historyCase.previous,
        }).errors.map(
          (error) =>
            [historyCase.name, `${error.rule} at ${error.path}`, error] as [
              string,
              string,
              CompatibilityError,
            ],
        ),
      ),
    ];

    it.each(rejections)('%s: %s', (_name, _rule, error) => {
      expect(error.rule).toEqual(expect.any(String));
      // A field path when Java located one inside a field; else the type the problem is about.
      const cause =
        error.field === undefined
          ? /`[^`]+`/
          : new RegExp(`\`${escape(error.field)}(\\.[^\`]+)?\``);
      expect(error.fix).toMatch(cause);
    });

    it.each([
      ['union-record-gains-required-field', 'payment.cvv'],
      ['union-record-loses-required-field', 'payment.cvv'],
      ['map-of-union-record-gains-required-field', 'cards{}.cvv'],
      ['array-of-records-gains-required-field', 'cards[].cvv'],
    ])(
      '%s: the fix names the nested field, not just the union',
      (name, nested) => {
        const schemaCase = SCHEMA_CASES.find((each) => each.name === name);
        if (schemaCase === undefined) throw new Error(`no case ${name}`);
        const [error] = checkLevel({
          level: 'FULL',
          newSchema: schemaCase.new,
          previous: [schemaCase.old],
        }).errors;
        expect(error?.fix).toContain(
          `field \`${nested}\` (of record \`com.example.Card\`)`,
        );
      },
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
