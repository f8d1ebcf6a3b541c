import { HISTORY_CASES } from '../cases';
import { formatHuman, formatJson } from './format';
import { checkLevel } from './levels';
import type { JsonObject, JsonValue } from './model';
import { parseSchemaText } from './schema';

const OLD_TEXT = `{
  "type": "record",
  "name": "Order",
  "namespace": "com.example",
  "fields": [
    { "name": "id", "type": "string" },
    { "name": "amount", "type": "long" },
    { "name": "status", "type": { "type": "enum", "name": "Status", "symbols": ["NEW", "PAID"] } }
  ]
}
`;

const NEW_TEXT = `{
  "type": "record",
  "name": "Order",
  "namespace": "com.example",
  "fields": [
    { "name": "id", "type": "string" },
    { "name": "amount", "type": "int" },
    { "name": "status", "type": { "type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"] } },
    { "name": "requestId", "type": "string" }
  ]
}
`;

describe('checkLevel', () => {
  const oldSchema = parseSchemaText(OLD_TEXT, 'schemas/order.v1.avsc');
  const newSchema = parseSchemaText(NEW_TEXT, 'schemas/order.avsc');

  it('is compatible with no earlier version, and under NONE', () => {
    expect(checkLevel({ level: 'FULL', newSchema, previous: [] })).toEqual({
      compatible: true,
      level: 'FULL',
      errors: [],
    });
    expect(
      checkLevel({ level: 'NONE', newSchema, previous: [oldSchema] })
        .compatible,
    ).toBe(true);
  });

  it('checks the new schema as reader under BACKWARD and as writer under FORWARD', () => {
    const backward = checkLevel({
      level: 'BACKWARD',
      newSchema,
      previous: [oldSchema],
    });
    expect(
      backward.errors.map((error) => [
        error.direction,
        error.rule,
        error.path,
        error.field,
      ]),
    ).toEqual([
      ['BACKWARD', 'TYPE_MISMATCH', '/fields/1/type', 'amount'],
      [
        'BACKWARD',
        'READER_FIELD_MISSING_DEFAULT_VALUE',
        '/fields/3',
        'requestId',
      ],
    ]);
    const forward = checkLevel({
      level: 'FORWARD',
      newSchema,
      previous: [oldSchema],
    });
    expect(
      forward.errors.map((error) => [
        error.direction,
        error.rule,
        error.path,
        error.field,
      ]),
    ).toEqual([
      ['FORWARD', 'MISSING_ENUM_SYMBOLS', '/fields/2/type/symbols', 'status'],
    ]);
    const full = checkLevel({
      level: 'FULL',
      newSchema,
      previous: [oldSchema],
    });
    expect(full.errors).toEqual([...backward.errors, ...forward.errors]);
  });

  it('writes messages and fixes a reviewer can act on', () => {
    const [typeMismatch, missingDefault] = checkLevel({
      level: 'BACKWARD',
      newSchema,
      previous: [oldSchema],
    }).errors;
    expect(typeMismatch?.fix).toContain(
      'promote int → long is allowed; long → int is not',
    );
    expect(missingDefault?.fix).toContain('add a default to field `requestId`');
    const [missingSymbols] = checkLevel({
      level: 'FORWARD',
      newSchema,
      previous: [oldSchema],
    }).errors;
    expect(missingSymbols?.message).toContain('`SHIPPED`');
    expect(missingSymbols?.fix).toContain('"default"');
    const removed = checkLevel({
      level: 'BACKWARD',
      newSchema: oldSchema,
      previous: [newSchema],
    });
    expect(
      removed.errors.find((error) => error.rule === 'MISSING_ENUM_SYMBOLS')
        ?.fix,
    ).toBe(
      'keep symbol(s) `SHIPPED` in enum `com.example.Status` (field `status`) or add an enum default to it (e.g. "default": "NEW")',
    );
  });

  it('checks only the latest earlier version unless transitive, and names which one failed', () => {
    const history = HISTORY_CASES.find(
      (historyCase) => historyCase.name === 'default-removed-later',
    );
    if (history === undefined) throw new Error('missing history case');
    const transitive = checkLevel({
      level: 'BACKWARD_TRANSITIVE',
      newSchema: history.new,
      previous: history.previous,
    });
    expect(transitive.compatible).toBe(false);
    expect(transitive.errors.map((error) => error.previousIndex)).toEqual([0]);
    expect(
      checkLevel({
        level: 'BACKWARD',
        newSchema: history.new,
        previous: history.previous,
      }).compatible,
    ).toBe(true);
  });

  it('formats the human report with file, line, field, rule, message and fix', () => {
    const result = checkLevel({
      level: 'FULL',
      newSchema,
      previous: [oldSchema],
    });
    const report = formatHuman(result, { newSchema, previous: [oldSchema] });
    expect(report).toContain(
      'NOT compatible: schemas/order.avsc against schemas/order.v1.avsc under FULL (3 problems)',
    );
    expect(report).toContain('1) TYPE_MISMATCH in field `amount`');
    expect(report).toContain(
      'at schemas/order.avsc:7:33 (reader, /fields/1/type)',
    );
    expect(report).toContain('data from schemas/order.v1.avsc:7:33 (writer)');
    expect(report).toContain(
      '2) READER_FIELD_MISSING_DEFAULT_VALUE in field `requestId`',
    );
    expect(report).toContain('at schemas/order.avsc:9:15 (reader, /fields/3)');
    // FORWARD: the old schema is the reader; the new file is where to look.
    expect(report).toContain('3) MISSING_ENUM_SYMBOLS in field `status`');
    expect(report).toContain(
      'at schemas/order.v1.avsc:8:80 (reader, /fields/2/type/symbols)',
    );
    expect(report).toContain('data from schemas/order.avsc:8:80 (writer)');
    expect(report).toMatch(/fix: .+/);
  });

  it('formats a compatible result in one line', () => {
    const result = checkLevel({
      level: 'BACKWARD',
      newSchema: oldSchema,
      previous: [oldSchema],
    });
    expect(
      formatHuman(result, { newSchema: oldSchema, previous: [oldSchema] }),
    ).toBe(
      'compatible: schemas/order.v1.avsc against schemas/order.v1.avsc under BACKWARD\n',
    );
  });

  it('formats --json as exactly compatible, level and errors of rule, path, message, fix', () => {
    const result = checkLevel({
      level: 'BACKWARD',
      newSchema,
      previous: [oldSchema],
    });
    const json: unknown = JSON.parse(formatJson(result));
    expect(json).toEqual({
      compatible: false,
      level: 'BACKWARD',
      errors: [
        {
          rule: 'TYPE_MISMATCH',
          path: '/fields/1/type',
          message: expect.any(String),
          fix: expect.any(String),
        },
        {
          rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
          path: '/fields/3',
          message: expect.any(String),
          fix: expect.any(String),
        },
      ],
    });
  });
});

describe('fixes that name the cause inside a union', () => {
  const order = (items: JsonValue): JsonObject => ({
    type: 'record',
    name: 'Order',
    namespace: 'com.example',
    fields: [{ name: 'lines', type: ['null', items], default: null }],
  });
  const line = (fields: JsonObject[]): JsonObject => ({
    type: 'record',
    name: 'Line',
    fields,
  });
  const sku: JsonObject = { name: 'sku', type: 'string' };

  it('follows a union branch into an array of records to the field', () => {
    const [error] = checkLevel({
      level: 'BACKWARD',
      newSchema: order({
        type: 'array',
        items: line([sku, { name: 'qty', type: 'int' }]),
      }),
      previous: [order({ type: 'array', items: line([sku]) })],
    }).errors;
    expect(error?.rule).toBe('MISSING_UNION_BRANCH');
    expect(error?.message).toContain(
      'new field `lines[].qty` (of record `com.example.Line`) has no default',
    );
    expect(error?.fix).toMatch(/^add a default to field `lines\[\]\.qty`/);
  });

  it('names a renamed branch and the alias that would fix it', () => {
    const [error] = checkLevel({
      level: 'BACKWARD',
      newSchema: order({ ...line([sku]), name: 'Item' }),
      previous: [order(line([sku]))],
    }).errors;
    expect(error?.fix).toBe(
      'keep the name `com.example.Line`, or add "aliases": ["com.example.Line"] to record `com.example.Item` (field `lines`) in the new schema',
    );
  });

  it('still says to add a branch back when no branch of its kind is left', () => {
    const [error] = checkLevel({
      level: 'BACKWARD',
      newSchema: order('int'),
      previous: [order('string')],
    }).errors;
    expect(error?.fix).toBe(
      'add "string" back to the union of field `lines` in the new schema',
    );
  });
});
