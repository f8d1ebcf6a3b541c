import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registryCanonicalForm } from './canonical';
import type { JsonObject, JsonValue } from './model';
import { parseSchemaJson } from './schema';

const golden = JSON.parse(
  readFileSync(join(__dirname, 'canonical.golden.json'), 'utf8'),
) as { cases: { schema: JsonValue; canonical: string }[] };

const canonical = (schema: JsonValue): string | undefined =>
  registryCanonicalForm(parseSchemaJson(schema).root);

describe('the registry canonical form (Apicurio 3.3 EnhancedAvroContentCanonicalizer)', () => {
  it.each(golden.cases.map((entry) => [JSON.stringify(entry.schema), entry]))(
    'is what the registry computes for %s',
    (_name, entry) => {
      expect(canonical(entry.schema)).toBe(entry.canonical);
    },
  );

  it('is undefined where Java throws (a record default with an unknown field), so the raw text counts', () => {
    expect(
      canonical({
        type: 'record',
        name: 'R',
        fields: [
          {
            name: 'inner',
            type: {
              type: 'record',
              name: 'In',
              fields: [{ name: 'y', type: 'string' }],
            },
            default: { y: 'a', z: 1 },
          },
        ],
      }),
    ).toBeUndefined();
  });

  // Each variant of BASE registered after BASE: the ones dropped added no version in the real registry.
  const BASE: JsonObject = {
    type: 'record',
    name: 'Order',
    namespace: 'com.example',
    fields: [
      { name: 'id', type: 'string' },
      {
        name: 'status',
        type: { type: 'enum', name: 'Status', symbols: ['A', 'B'] },
      },
      { name: 'note', type: ['null', 'string'], default: null },
    ],
  };
  const variant = (change: (schema: JsonObject) => unknown): JsonObject => {
    const copy = JSON.parse(JSON.stringify(BASE)) as JsonObject;
    change(copy);
    return copy;
  };
  const field = (schema: JsonObject, index: number): JsonObject =>
    (schema['fields'] as JsonObject[])[index] as JsonObject;
  const statusType = (schema: JsonObject): JsonObject =>
    field(schema, 1)['type'] as JsonObject;

  it.each<[string, (schema: JsonObject) => unknown]>([
    ['a record doc', (s) => (s['doc'] = 'an order')],
    ['a field doc', (s) => (field(s, 0)['doc'] = 'x')],
    ['record aliases', (s) => (s['aliases'] = ['Purchase'])],
    ['field aliases', (s) => (field(s, 0)['aliases'] = ['ident'])],
    ['an enum default', (s) => (statusType(s)['default'] = 'A')],
    [
      'enum aliases and doc',
      (s) => Object.assign(statusType(s), { aliases: ['State'], doc: 'd' }),
    ],
    [
      '{"type": "string"} for "string"',
      (s) => (field(s, 0)['type'] = { type: 'string' }),
    ],
    [
      'an explicit namespace equal to the inherited one',
      (s) => (statusType(s)['namespace'] = 'com.example'),
    ],
    [
      'no "default": null on a field of a union starting with null',
      (s) => delete field(s, 2)['default'],
    ],
    ['"order": "ascending"', (s) => (field(s, 0)['order'] = 'ascending')],
  ])('drops %s', (_name, change) => {
    expect(canonical(variant(change))).toBe(canonical(BASE));
  });

  it.each<[string, (schema: JsonObject) => unknown]>([
    [
      'field order',
      (s) => (s['fields'] = [field(s, 1), field(s, 0), field(s, 2)]),
    ],
    ['symbol order', (s) => (statusType(s)['symbols'] = ['B', 'A'])],
    ['a custom record property', (s) => (s['x-owner'] = 'team')],
    ['a custom field property', (s) => (field(s, 0)['x-pii'] = true)],
    [
      'a logical type',
      (s) => (field(s, 0)['type'] = { type: 'string', logicalType: 'uuid' }),
    ],
    ['"order": "descending"', (s) => (field(s, 0)['order'] = 'descending')],
    ['a field default', (s) => (field(s, 0)['default'] = '')],
    ['an explicit null namespace', (s) => (statusType(s)['namespace'] = '')],
  ])('keeps %s', (_name, change) => {
    expect(canonical(variant(change))).not.toBe(canonical(BASE));
  });
});
