import { UncheckableSchemaPairError } from './errors';
import { checkCompatibility } from './levels';
import type { JsonValue } from './model';

const problems = (reader: JsonValue, writer: JsonValue): string[] =>
  checkCompatibility({ reader, writer }).incompatibilities.map(
    (problem) => `${problem.type} ${problem.location} ${problem.message}`,
  );

describe('checkCompatibility: Avro Java rules beyond the case table', () => {
  it('reads every primitive promotion Avro allows, and nothing else', () => {
    const readable: Record<string, string[]> = {
      null: ['null'],
      boolean: ['boolean'],
      int: ['int'],
      long: ['int', 'long'],
      float: ['int', 'long', 'float'],
      double: ['int', 'long', 'float', 'double'],
      bytes: ['bytes', 'string'],
      string: ['string', 'bytes'],
    };
    for (const [reader, writers] of Object.entries(readable)) {
      for (const writer of Object.keys(readable)) {
        expect([
          reader,
          writer,
          checkCompatibility({ reader, writer }).compatible,
        ]).toEqual([reader, writer, writers.includes(writer)]);
      }
    }
  });

  it('guards recursion in mutually recursive records', () => {
    const tree = (valueType: string): JsonValue => ({
      type: 'record',
      name: 'Tree',
      fields: [
        { name: 'value', type: valueType },
        {
          name: 'children',
          type: {
            type: 'array',
            items: {
              type: 'record',
              name: 'Branch',
              fields: [{ name: 'tree', type: 'Tree' }],
            },
          },
        },
      ],
    });
    expect(problems(tree('long'), tree('int'))).toEqual([]);
    expect(problems(tree('int'), tree('long'))).toEqual([
      'TYPE_MISMATCH /fields/0/type reader type: INT not compatible with writer type: LONG',
    ]);
  });

  it('matches a reader field alias to a writer field', () => {
    const writer = {
      type: 'record',
      name: 'R',
      fields: [{ name: 'old', type: 'int' }],
    };
    const reader = {
      type: 'record',
      name: 'R',
      fields: [{ name: 'renamed', type: 'long', aliases: ['old'] }],
    };
    expect(problems(reader, writer)).toEqual([]);
  });

  it('cannot check a reader field whose name and alias both match writer fields, like Java', () => {
    const writer = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'int' },
      ],
    };
    const reader = {
      type: 'record',
      name: 'R',
      fields: [{ name: 'a', type: 'int', aliases: ['b'] }],
    };
    expect(() => checkCompatibility({ reader, writer })).toThrow(
      UncheckableSchemaPairError,
    );
  });

  it('compares named types by unqualified name, and reader aliases with the writer full name', () => {
    const fixed = (
      name: string,
      extra: Record<string, JsonValue> = {},
    ): JsonValue => ({
      type: 'fixed',
      name,
      size: 4,
      ...extra,
    });
    expect(problems(fixed('a.F'), fixed('b.F'))).toEqual([]);
    expect(problems(fixed('a.G', { aliases: ['b.F'] }), fixed('b.F'))).toEqual(
      [],
    );
    // An unqualified alias takes the reader's namespace: a.F is not b.F.
    expect(problems(fixed('a.G', { aliases: ['F'] }), fixed('b.F'))).toEqual([
      'NAME_MISMATCH /name expected: b.F',
    ]);
    // Java reports an alias in the null namespace of a namespaced type as ".F".
    expect(problems(fixed('a.G', { aliases: ['.F'] }), fixed('F'))).toEqual([
      'NAME_MISMATCH /name expected: F',
    ]);
    expect(problems(fixed('G', { aliases: ['F'] }), fixed('F'))).toEqual([]);
  });

  it('accepts missing enum symbols when the reader enum has a default', () => {
    const enumType = (
      symbols: string[],
      extra: Record<string, JsonValue> = {},
    ): JsonValue => ({
      type: 'enum',
      name: 'E',
      symbols,
      ...extra,
    });
    expect(problems(enumType(['A']), enumType(['A', 'C', 'B']))).toEqual([
      'MISSING_ENUM_SYMBOLS /symbols [B, C]',
    ]);
    expect(
      problems(enumType(['A'], { default: 'A' }), enumType(['A', 'B'])),
    ).toEqual([]);
  });

  it('puts the writer branch index in the path when a writer union meets a non-union reader (Avro 1.12)', () => {
    expect(problems('string', ['null', 'string', 'int'])).toEqual([
      'TYPE_MISMATCH /0 reader type: STRING not compatible with writer type: NULL',
      'TYPE_MISMATCH /2 reader type: STRING not compatible with writer type: INT',
    ]);
  });

  it('reports a missing union branch at the reader union when the writer is not a union', () => {
    expect(problems(['null', 'string'], 'int')).toEqual([
      'MISSING_UNION_BRANCH / reader union lacking writer type: INT',
    ]);
  });

  it('keeps the location where a shared named type was first compared (Java memoisation)', () => {
    const schema = (zip: string): JsonValue => ({
      type: 'record',
      name: 'R',
      fields: [
        {
          name: 'a',
          type: {
            type: 'record',
            name: 'Address',
            fields: [{ name: 'zip', type: zip }],
          },
        },
        { name: 'b', type: 'Address' },
      ],
    });
    const result = checkCompatibility({
      reader: schema('int'),
      writer: schema('string'),
    });
    expect(result.incompatibilities.map((problem) => problem.location)).toEqual(
      ['/fields/0/type/fields/0/type', '/fields/0/type/fields/0/type'],
    );
  });

  it('ignores logical types', () => {
    expect(problems({ type: 'int', logicalType: 'date' }, 'int')).toEqual([]);
    expect(
      problems(
        { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 },
        'string',
      ),
    ).toEqual([]);
  });

  it('compares fixed names before sizes', () => {
    expect(
      problems(
        { type: 'fixed', name: 'A', size: 2 },
        { type: 'fixed', name: 'B', size: 3 },
      ),
    ).toEqual([
      'NAME_MISMATCH /name expected: B',
      'FIXED_SIZE_MISMATCH /size expected: 3, found: 2',
    ]);
  });

  it('accepts a reader field with a null default when the writer lacks it', () => {
    const writer = { type: 'record', name: 'R', fields: [] };
    const reader = {
      type: 'record',
      name: 'R',
      fields: [{ name: 'x', type: ['null', 'int'], default: null }],
    };
    expect(problems(reader, writer)).toEqual([]);
  });
});
