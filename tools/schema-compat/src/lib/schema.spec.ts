import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaInputError } from './errors';
import type { RecordNode } from './model';
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
        fields: [{ name: 'a', type: ['null', 'int'], default: 1 }],
      },
      'default of field "a" is invalid: 1 is not null (a union default must match the union\'s first branch)',
      ['fields', 0, 'default'],
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
    const error = inputError(() => parseSchemaJson(json));
    expect(error.reason).toBe(reason);
    expect(error.location.jsonPath).toEqual(jsonPath);
  });

  it('also rejects what avsc (the runtime) rejects', () => {
    // Java resolves a reference to a type defined later; avsc does not.
    const forward = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'S' },
        { name: 'b', type: { type: 'fixed', name: 'S', size: 2 } },
      ],
    };
    expect(inputError(() => parseSchemaJson(forward)).reason).toMatch(
      /^invalid Avro schema \(avsc\)/,
    );
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
