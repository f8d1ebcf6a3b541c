import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaInputError } from './errors';
import type { JsonValue, RecordNode } from './model';
import { parseSchemaJson, parseSchemaText, readSchemaFile } from './schema';

function inputError(run: () => unknown): SchemaInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof SchemaInputError) return error;
    throw error;
  }
  throw new Error('expected a SchemaInputError');
}

describe('parsing and validating schemas', () => {
  it('names the file, line and column of a JSON syntax error', () => {
    const error = inputError(() =>
      parseSchemaText(
        '{\n  "type": "record",\n  "name": "R"\n  "fields": []\n}',
        'bad.avsc',
      ),
    );
    expect(error.file).toBe('bad.avsc');
    expect(error.location).toMatchObject({ line: 4, column: 3 });
    expect(error.message).toBe('bad.avsc:4:3: invalid JSON: CommaExpected');
  });

  it('rejects comments and trailing commas (the registry parses strict JSON)', () => {
    expect(
      inputError(() => parseSchemaText('// x\n"int"', 'c.avsc')).location.line,
    ).toBe(1);
    expect(
      inputError(() => parseSchemaText('["int",]', 't.avsc')).reason,
    ).toMatch(/invalid JSON/);
  });

  it('names the file and a line for an unreadable file', () => {
    const error = inputError(() => readSchemaFile('/nonexistent/x.avsc'));
    expect(error.file).toBe('/nonexistent/x.avsc');
    expect(error.reason).toMatch(/cannot read file/);
  });

  it('locates invalid Avro in the file', () => {
    const text = [
      '{',
      '  "type": "record",',
      '  "name": "R",',
      '  "fields": [',
      '    { "name": "a", "type": "int" },',
      '    { "name": "b", "type": "Missing" }',
      '  ]',
      '}',
    ].join('\n');
    const error = inputError(() => parseSchemaText(text, 'r.avsc'));
    expect(error.reason).toBe('undefined name: Missing');
    expect(error.location).toMatchObject({
      jsonPath: ['fields', 1, 'type'],
      line: 6,
      column: 28,
    });
  });

  it.each([
    [{ type: 'record', name: 'R' }, 'record has no "fields" array', []],
    [
      { type: 'enum', name: 'E', symbols: ['A', 'A'] },
      'duplicate enum symbol "A"',
      ['symbols', 1],
    ],
    [
      { type: 'enum', name: 'E', symbols: ['A'], default: 'B' },
      'enum default "B" is not one of its symbols',
      ['default'],
    ],
    [
      { type: 'fixed', name: 'F', size: -1 },
      'fixed has no valid "size"',
      ['size'],
    ],
    [['int', 'int'], 'duplicate in union: int', [1]],
    [['int', ['null']], 'unions may not immediately contain other unions', [1]],
    [{ type: 'record', name: '1R', fields: [] }, 'invalid name "1R"', ['name']],
    [
      {
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: 'int' },
          { name: 'a', type: 'int' },
        ],
      },
      'duplicate field "a"',
      ['fields', 1, 'name'],
    ],
    [
      {
        type: 'record',
        name: 'R',
        fields: [{ name: 'a', type: 'int', default: 'x' }],
      },
      'default of field "a" is invalid: "x" is not an int',
      ['fields', 0, 'default'],
    ],
    [
      {
        type: 'record',
        name: 'R',
        fields: [{ name: 'a', type: ['null', 'int'], default: 'x' }],
      },
      'default of field "a" is invalid: "x" is not any branch of [null, int]',
      ['fields', 0, 'default'],
    ],
    [
      {
        type: 'record',
        name: 'R',
        fields: [{ name: 'a', type: 'double', default: 'one' }],
      },
      'default of field "a" is invalid: "one" is not a double',
      ['fields', 0, 'default'],
    ],
    [
      {
        type: 'record',
        name: 'R',
        fields: [
          {
            name: 'a',
            type: {
              type: 'record',
              name: 'In',
              fields: [{ name: 'b', type: 'int' }],
            },
            default: {},
          },
        ],
      },
      'default of field "a" is invalid: field "b" of In is missing',
      ['fields', 0, 'default'],
    ],
    [
      {
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: { type: 'enum', name: 'E', symbols: ['X'] } },
          { name: 'b', type: { type: 'enum', name: 'E', symbols: ['X', 'Y'] } },
        ],
      },
      "can't redefine E",
      ['fields', 1, 'type', 'name'],
    ],
    [
      {
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: { type: 'enum', name: 'E', symbols: ['X'] } },
          { name: 'b', type: { type: 'E' } },
        ],
      },
      '"type" must be a primitive type or one of "enum", "fixed", "record", "error", "array", "map" (refer to a named type with a plain string, not {"type": "E"})',
      ['fields', 1, 'type', 'type'],
    ],
    [
      {
        type: 'record',
        name: 'R',
        fields: [{ name: 'r', type: { type: 'fixed', name: 'R', size: 1 } }],
      },
      "can't redefine R",
      ['name'],
    ],
    [42, 'not a schema: 42', []],
  ])('rejects %j: %s', (json, reason, jsonPath) => {
    const error = inputError(() => parseSchemaJson(json as JsonValue));
    expect(error.reason).toBe(reason);
    expect(error.location.jsonPath).toEqual(jsonPath);
  });

  describe('accepts what the registry (Avro 1.12 Java) accepts, with a located warning', () => {
    const record = (fields: object[]): string =>
      JSON.stringify(
        { type: 'record', name: 'R', namespace: 'com.example', fields },
        null,
        2,
      );
    const warningsOf = (fields: object[]): string[] =>
      parseSchemaText(record(fields), 'r.avsc').describeWarnings();

    it('a union default matching a later branch, inside a map default', () => {
      const [warning, ...rest] = warningsOf([
        {
          name: 'tags',
          type: { type: 'map', values: ['null', 'string'] },
          default: { a: 'x' },
        },
      ]);
      expect(rest).toEqual([]);
      expect(warning).toMatch(
        /^r\.avsc:\d+:\d+: warning: the default of field "tags" \(at a\) matches branch 2 \(string\) of its union, not the first: avsc, the apps' runtime, cannot load the schema although the registry accepts it/,
      );
    });

    it('a union default matching a later branch, inside a record default', () => {
      const schema = parseSchemaJson({
        type: 'record',
        name: 'R',
        fields: [
          {
            name: 'inner',
            type: {
              type: 'record',
              name: 'In',
              fields: [{ name: 'y', type: ['null', 'string'] }],
            },
            default: { y: 'x' },
          },
        ],
      });
      expect(schema.warnings).toEqual([
        expect.objectContaining({
          jsonPath: ['fields', 0, 'default', 'y'],
          message: expect.stringContaining('matches branch 2 (string)'),
        }),
      ]);
    });

    it('a short reference that falls back to the null namespace, at the reference', () => {
      const text = record([
        {
          name: 'a',
          type: {
            type: 'record',
            name: 'Foo',
            namespace: '',
            fields: [{ name: 'x', type: 'int' }],
          },
        },
        { name: 'b', type: 'Foo' },
      ]);
      const schema = parseSchemaText(text, 'r.avsc');
      const b = (schema.root as RecordNode).fields[1];
      expect(b?.type).toBe((schema.root as RecordNode).fields[0]?.type);
      const warnings = schema.describeWarnings();
      const line =
        text
          .split('\n')
          .findIndex((l) => l.includes('"Foo"') && !l.includes('name')) + 1;
      expect(warnings).toEqual([
        expect.stringMatching(
          new RegExp(
            `^r\\.avsc:${line}:\\d+: warning: "Foo" inside namespace com\\.example refers to Foo in the null namespace .*the Avro spec does not: .*means com\\.example\\.Foo`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^r\\.avsc:${line}:\\d+: warning: .*avsc, the apps' runtime, cannot load the schema .*undefined type name: com\\.example\\.Foo`,
          ),
        ),
      ]);
    });

    it('a named type defined twice, identically as Java compares (docs and aliases aside)', () => {
      const schema = parseSchemaJson({
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: { type: 'enum', name: 'E', symbols: ['X'] } },
          {
            name: 'b',
            type: {
              type: 'enum',
              name: 'E',
              symbols: ['X'],
              doc: 'again',
              aliases: ['F'],
            },
          },
        ],
      });
      const [a, b] = (schema.root as RecordNode).fields;
      expect(b?.type).toMatchObject({ fullName: 'E', aliases: ['F'] });
      expect(b?.type).not.toBe(a?.type);
      expect(schema.warnings.map((warning) => warning.jsonPath)).toEqual([
        ['fields', 1, 'type', 'name'],
        ['fields', 1, 'type', 'name'],
      ]);
      expect(schema.warnings[0]?.message).toContain(
        'enum E is defined a second time',
      );
    });

    it.each([
      [
        'an enum default that is no symbol (e.g. a removed one)',
        {
          name: 's',
          type: { type: 'enum', name: 'S', symbols: ['A'] },
          default: 'GONE',
        },
        'the default of field "s", "GONE", is not a symbol of enum com.example.S: the registry accepts it',
      ],
      [
        'a fixed default of the wrong length',
        {
          name: 'h',
          type: { type: 'fixed', name: 'H', size: 4 },
          default: 'ab',
        },
        'the default of field "h" has 2 bytes, but fixed com.example.H has size 4: the registry accepts it',
      ],
      [
        'a double default written as a string',
        { name: 'd', type: 'double', default: 'NaN' },
        'the default of field "d" is the string "NaN": the registry accepts it',
      ],
      [
        'a reference to a type defined later',
        { name: 'a', type: ['null', 'Later'], default: null },
        '"Later" is used before its definition: the registry accepts it',
      ],
    ])('%s', (_name, field, message) => {
      const fields =
        (field as { name: string }).name === 'a'
          ? [
              field,
              {
                name: 'b',
                type: { type: 'record', name: 'Later', fields: [] },
              },
            ]
          : [field];
      const schema = parseSchemaJson({
        type: 'record',
        name: 'R',
        namespace: 'com.example',
        fields,
      });
      expect(schema.warnings[0]?.message).toContain(message);
      expect(schema.warnings[0]?.message).toContain('the Avro spec does not');
      expect(schema.warnings[0]?.jsonPath.slice(0, 2)).toEqual(['fields', 0]);
      expect(schema.warnings.at(-1)?.message).toContain(
        "avsc, the apps' runtime, cannot load the schema",
      );
    });

    it('warns about nothing in a schema avsc and the spec accept', () => {
      expect(
        warningsOf([
          { name: 'a', type: ['null', 'string'], default: null },
          {
            name: 'b',
            type: { type: 'enum', name: 'E', symbols: ['A'] },
            default: 'A',
          },
        ]),
      ).toEqual([]);
    });
  });

  it('qualifies names with the inherited namespace and resolves references to one node', () => {
    const schema = parseSchemaJson({
      type: 'record',
      name: 'Outer',
      namespace: 'com.example',
      fields: [
        { name: 'a', type: { type: 'record', name: 'Inner', fields: [] } },
        { name: 'b', type: 'Inner' },
        { name: 'c', type: 'com.example.Inner' },
        {
          name: 'd',
          type: {
            type: 'fixed',
            name: 'other.F',
            size: 1,
            aliases: ['G', 'x.H'],
          },
        },
        {
          name: 'e',
          type: { type: 'enum', name: 'E', namespace: '', symbols: ['A'] },
        },
      ],
    });
    const outer = schema.root as RecordNode;
    const [a, b, c, d, e] = outer.fields.map((field) => field.type);
    expect(outer.fullName).toBe('com.example.Outer');
    expect(a).toMatchObject({
      kind: 'record',
      fullName: 'com.example.Inner',
      name: 'Inner',
    });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(d).toMatchObject({
      fullName: 'other.F',
      namespace: 'other',
      aliases: ['other.G', 'x.H'],
    });
    expect(e).toMatchObject({ fullName: 'E', namespace: null });
  });

  it('reads a file from disk with its source text for line numbers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-compat-'));
    const file = join(dir, 'ok.avsc');
    writeFileSync(
      file,
      '{\n  "type": "record",\n  "name": "R",\n  "fields": [{ "name": "a", "type": "int" }]\n}\n',
    );
    const schema = readSchemaFile(file);
    expect(schema.source.file).toBe(file);
    expect(schema.positionOf(['fields', 0, 'type'])).toEqual({
      line: 4,
      column: 37,
    });
    expect(schema.positionOf(['fields', 0, 'type', 'nope'])).toEqual({
      line: 4,
      column: 37,
    });
  });
});
