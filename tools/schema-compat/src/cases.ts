import {
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
  type IncompatibilityType,
  type JsonObject,
  type JsonValue,
} from './lib/model';

/** A problem Avro Java reports: rule, location in the reader, its own message. */
export interface ExpectedProblem {
  readonly rule: IncompatibilityType;
  readonly path: string;
  readonly avroMessage: string;
}

export interface SchemaCase {
  /** Short id, also used in registry subject names. */
  readonly name: string;
  readonly description: string;
  readonly old: JsonValue;
  readonly new: JsonValue;
  /** What Avro Java reports with the new schema as reader and the old as writer. */
  readonly backwardProblems: readonly ExpectedProblem[];
  /** What Avro Java reports with the old schema as reader and the new as writer. */
  readonly forwardProblems: readonly ExpectedProblem[];
  /** Verdict per level for this pair (one earlier version: transitive = non-transitive). */
  readonly expected: Readonly<Record<CompatibilityLevel, boolean>>;
}

/**
 * A change made over several versions, each registered in turn: the registry
 * keeps only the ones whose canonical form is new, and transitive levels look
 * at all of those.
 */
export interface HistoryCase {
  readonly name: string;
  readonly description: string;
  /** Oldest first, as registered. */
  readonly previous: readonly JsonValue[];
  readonly new: JsonValue;
  /** How many versions the registry holds after `previous` (as the real registry answered). */
  readonly storedVersions: number;
  /** Registering `new` finds this stored version: no new version, no check. */
  readonly existingVersion?: number;
  readonly expected: Readonly<Record<CompatibilityLevel, boolean>>;
}

/** Confluent's levels for one earlier version, from the two directions. */
export function expectedVerdicts(
  backward: boolean,
  forward: boolean,
): Readonly<Record<CompatibilityLevel, boolean>> {
  const verdicts: Record<CompatibilityLevel, boolean> = {
    BACKWARD: backward,
    BACKWARD_TRANSITIVE: backward,
    FORWARD: forward,
    FORWARD_TRANSITIVE: forward,
    FULL: backward && forward,
    FULL_TRANSITIVE: backward && forward,
    NONE: true,
  };
  return Object.fromEntries(
    COMPATIBILITY_LEVELS.map((level) => [level, verdicts[level]]),
  ) as Record<CompatibilityLevel, boolean>;
}

/** Every level accepts: e.g. the registry already holds the schema. */
const ALL_ACCEPTED = expectedVerdicts(true, true);

function pair(spec: Omit<SchemaCase, 'expected'>): SchemaCase {
  return {
    ...spec,
    expected: expectedVerdicts(
      spec.backwardProblems.length === 0,
      spec.forwardProblems.length === 0,
    ),
  };
}

const order = (fields: JsonValue[], identity: JsonObject = {}): JsonObject => ({
  type: 'record',
  name: 'Order',
  namespace: 'com.example',
  ...identity,
  fields,
});

const id: JsonObject = { name: 'id', type: 'string' };
const amount = (type: JsonValue): JsonObject => ({ name: 'amount', type });
const field = (
  name: string,
  type: JsonValue,
  extra: JsonObject = {},
): JsonObject => ({
  name,
  type,
  ...extra,
});
const optionalNote: JsonObject = {
  name: 'note',
  type: ['null', 'string'],
  default: null,
};
const statusEnum = (symbols: string[], extra: JsonObject = {}): JsonObject => ({
  type: 'enum',
  name: 'Status',
  symbols,
  ...extra,
});
const customer = (fields: JsonValue[]): JsonObject => ({
  type: 'record',
  name: 'Customer',
  fields,
});
const node = (valueType: string, extra: JsonValue[] = []): JsonObject => ({
  type: 'record',
  name: 'Node',
  namespace: 'com.example',
  fields: [
    { name: 'value', type: valueType },
    { name: 'next', type: ['null', 'Node'], default: null },
    ...extra,
  ],
});

const card = (fields: JsonValue[]): JsonObject => ({
  type: 'record',
  name: 'Card',
  fields,
});
const cardNumber = field('number', 'string');
const cvv = field('cvv', 'string');
const payment = (fields: JsonValue[]): JsonObject =>
  field('payment', ['null', card(fields)], { default: null });
const nullNamespacePoint: JsonObject = {
  type: 'record',
  name: 'Point',
  namespace: '',
  fields: [field('x', 'int'), field('y', 'int')],
};

const missingDefault = (path: string, fieldName: string): ExpectedProblem => ({
  rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
  path,
  avroMessage: fieldName,
});
const typeMismatch = (
  path: string,
  reader: string,
  writer: string,
): ExpectedProblem => ({
  rule: 'TYPE_MISMATCH',
  path,
  avroMessage: `reader type: ${reader} not compatible with writer type: ${writer}`,
});
const missingBranch = (path: string, writer: string): ExpectedProblem => ({
  rule: 'MISSING_UNION_BRANCH',
  path,
  avroMessage: `reader union lacking writer type: ${writer}`,
});
const missingSymbols = (path: string, symbols: string): ExpectedProblem => ({
  rule: 'MISSING_ENUM_SYMBOLS',
  path,
  avroMessage: symbols,
});
const nameMismatch = (
  path: string,
  writerFullName: string,
): ExpectedProblem => ({
  rule: 'NAME_MISMATCH',
  path,
  avroMessage: `expected: ${writerFullName}`,
});

/**
 * Schema changes and what Avro 1.12 Java `SchemaCompatibility` (used by the
 * registry, Apicurio 3.3.x) says about them. The registry parity test runs
 * this table against the real registry.
 */
export const SCHEMA_CASES: readonly SchemaCase[] = [
  pair({
    name: 'identical',
    description: 'nothing changes',
    old: order([id, amount('int')]),
    new: order([id, amount('int')]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'add-optional-field',
    description: 'add a field with a default',
    old: order([id, amount('int')]),
    new: order([id, amount('int'), optionalNote]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'add-required-field',
    description: 'add a field without a default',
    old: order([id, amount('int')]),
    new: order([id, amount('int'), field('note', 'string')]),
    backwardProblems: [missingDefault('/fields/2', 'note')],
    forwardProblems: [],
  }),
  pair({
    name: 'remove-field-with-default',
    description: 'remove a field that has a default',
    old: order([id, amount('int'), field('note', 'string', { default: '' })]),
    new: order([id, amount('int')]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'remove-required-field',
    description: 'remove a field that has no default',
    old: order([id, amount('int')]),
    new: order([id]),
    backwardProblems: [],
    forwardProblems: [missingDefault('/fields/1', 'amount')],
  }),
  pair({
    name: 'rename-field-with-alias',
    description: 'rename a field, listing the old name in its aliases',
    old: order([id, amount('int')]),
    new: order([id, field('total', 'int', { aliases: ['amount'] })]),
    backwardProblems: [],
    forwardProblems: [missingDefault('/fields/1', 'amount')],
  }),
  pair({
    name: 'rename-field-without-alias',
    description: 'rename a field without an alias',
    old: order([id, amount('int')]),
    new: order([id, field('total', 'int')]),
    backwardProblems: [missingDefault('/fields/1', 'total')],
    forwardProblems: [missingDefault('/fields/1', 'amount')],
  }),
  pair({
    name: 'reorder-fields',
    description: 'swap the order of two fields',
    old: order([id, amount('int')]),
    new: order([amount('int'), id]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'promote-int-to-long',
    description: 'widen int to long',
    old: order([id, amount('int')]),
    new: order([id, amount('long')]),
    backwardProblems: [],
    forwardProblems: [typeMismatch('/fields/1/type', 'INT', 'LONG')],
  }),
  pair({
    name: 'narrow-long-to-int',
    description: 'narrow long to int',
    old: order([id, amount('long')]),
    new: order([id, amount('int')]),
    backwardProblems: [typeMismatch('/fields/1/type', 'INT', 'LONG')],
    forwardProblems: [],
  }),
  pair({
    name: 'promote-long-to-float',
    description: 'widen long to float',
    old: order([id, amount('long')]),
    new: order([id, amount('float')]),
    backwardProblems: [],
    forwardProblems: [typeMismatch('/fields/1/type', 'LONG', 'FLOAT')],
  }),
  pair({
    name: 'promote-float-to-double',
    description: 'widen float to double',
    old: order([id, amount('float')]),
    new: order([id, amount('double')]),
    backwardProblems: [],
    forwardProblems: [typeMismatch('/fields/1/type', 'FLOAT', 'DOUBLE')],
  }),
  pair({
    name: 'int-to-string',
    description: 'change int to string',
    old: order([id, amount('int')]),
    new: order([id, amount('string')]),
    backwardProblems: [typeMismatch('/fields/1/type', 'STRING', 'INT')],
    forwardProblems: [typeMismatch('/fields/1/type', 'INT', 'STRING')],
  }),
  pair({
    name: 'string-to-bytes',
    description: 'change string to bytes (readable both ways)',
    old: order([id, amount('int')]),
    new: order([field('id', 'bytes'), amount('int')]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'make-field-nullable',
    description: 'string becomes ["null", "string"] with default null',
    old: order([id, amount('int')]),
    new: order([
      field('id', ['null', 'string'], { default: null }),
      amount('int'),
    ]),
    backwardProblems: [],
    forwardProblems: [typeMismatch('/fields/0/type/0', 'STRING', 'NULL')],
  }),
  pair({
    name: 'make-field-required',
    description: '["null", "string"] becomes string',
    old: order([
      field('id', ['null', 'string'], { default: null }),
      amount('int'),
    ]),
    new: order([id, amount('int')]),
    backwardProblems: [typeMismatch('/fields/0/type/0', 'STRING', 'NULL')],
    forwardProblems: [],
  }),
  pair({
    name: 'add-union-branch',
    description: 'add int to a ["null", "string"] union',
    old: order([id, amount('int'), optionalNote]),
    new: order([
      id,
      amount('int'),
      field('note', ['null', 'string', 'int'], { default: null }),
    ]),
    backwardProblems: [],
    forwardProblems: [missingBranch('/fields/2/type/2', 'INT')],
  }),
  pair({
    name: 'remove-union-branch',
    description: 'remove int from a ["null", "string", "int"] union',
    old: order([
      id,
      amount('int'),
      field('note', ['null', 'string', 'int'], { default: null }),
    ]),
    new: order([id, amount('int'), optionalNote]),
    backwardProblems: [missingBranch('/fields/2/type/2', 'INT')],
    forwardProblems: [],
  }),
  pair({
    name: 'reorder-union',
    description: '["null", "string"] becomes ["string", "null"]',
    old: order([id, amount('int'), optionalNote]),
    new: order([
      id,
      amount('int'),
      field('note', ['string', 'null'], { default: '' }),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'promote-union-branch',
    description: '["null", "int"] becomes ["null", "long"]',
    old: order([
      id,
      amount('int'),
      field('note', ['null', 'int'], { default: null }),
    ]),
    new: order([
      id,
      amount('int'),
      field('note', ['null', 'long'], { default: null }),
    ]),
    backwardProblems: [],
    forwardProblems: [missingBranch('/fields/2/type/1', 'LONG')],
  }),
  pair({
    name: 'int-to-nullable-long',
    description: 'int becomes ["null", "long"]',
    old: order([id, amount('int')]),
    new: order([id, amount(['null', 'long'])]),
    backwardProblems: [],
    forwardProblems: [
      typeMismatch('/fields/1/type/0', 'INT', 'NULL'),
      typeMismatch('/fields/1/type/1', 'INT', 'LONG'),
    ],
  }),
  pair({
    name: 'record-to-nullable-record',
    description: 'a record field becomes ["null", record]',
    old: order([
      id,
      amount('int'),
      field('customer', customer([field('name', 'string')])),
    ]),
    new: order([
      id,
      amount('int'),
      field('customer', ['null', customer([field('name', 'string')])], {
        default: null,
      }),
    ]),
    backwardProblems: [],
    forwardProblems: [typeMismatch('/fields/2/type/0', 'RECORD', 'NULL')],
  }),
  pair({
    name: 'add-enum-symbol',
    description: 'add a symbol to an enum without a default',
    old: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID'])),
    ]),
    new: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID', 'SHIPPED'])),
    ]),
    backwardProblems: [],
    forwardProblems: [missingSymbols('/fields/2/type/symbols', '[SHIPPED]')],
  }),
  pair({
    name: 'remove-enum-symbol',
    description: 'remove a symbol from an enum without a default',
    old: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID', 'SHIPPED'])),
    ]),
    new: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID'])),
    ]),
    backwardProblems: [missingSymbols('/fields/2/type/symbols', '[SHIPPED]')],
    forwardProblems: [],
  }),
  pair({
    name: 'add-enum-symbol-old-default',
    description: 'add a symbol to an enum whose old version has a default',
    old: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID'], { default: 'NEW' })),
    ]),
    new: order([
      id,
      amount('int'),
      field(
        'status',
        statusEnum(['NEW', 'PAID', 'SHIPPED'], { default: 'NEW' }),
      ),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'remove-enum-symbol-new-default',
    description: 'remove a symbol and give the enum a default',
    old: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID', 'SHIPPED'])),
    ]),
    new: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID'], { default: 'NEW' })),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'add-enum-symbol-new-default',
    description:
      'add a symbol and a default at once (old readers still lack the default)',
    old: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID'])),
    ]),
    new: order([
      id,
      amount('int'),
      field(
        'status',
        statusEnum(['NEW', 'PAID', 'SHIPPED'], { default: 'NEW' }),
      ),
    ]),
    backwardProblems: [],
    forwardProblems: [missingSymbols('/fields/2/type/symbols', '[SHIPPED]')],
  }),
  pair({
    name: 'rename-enum-with-alias',
    description: 'rename an enum, listing the old name in its aliases',
    old: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID'])),
    ]),
    new: order([
      id,
      amount('int'),
      field(
        'status',
        statusEnum(['NEW', 'PAID'], {
          name: 'OrderStatus',
          aliases: ['Status'],
        }),
      ),
    ]),
    backwardProblems: [],
    forwardProblems: [
      nameMismatch('/fields/2/type/name', 'com.example.OrderStatus'),
    ],
  }),
  pair({
    name: 'add-enum-field-with-enum-default',
    description: 'add an enum field with an enum default but no field default',
    old: order([id, amount('int')]),
    new: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID'], { default: 'NEW' })),
    ]),
    backwardProblems: [typeMismatch('/fields/2/type', 'ENUM', 'RECORD')],
    forwardProblems: [],
  }),
  pair({
    name: 'remove-enum-field-with-enum-default',
    description:
      'remove an enum field that has an enum default but no field default',
    old: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID'], { default: 'NEW' })),
    ]),
    new: order([id, amount('int')]),
    backwardProblems: [],
    forwardProblems: [typeMismatch('/fields/2/type', 'ENUM', 'RECORD')],
  }),
  pair({
    name: 'string-to-enum',
    description: 'a string field becomes an enum',
    old: order([id, amount('int'), field('status', 'string')]),
    new: order([
      id,
      amount('int'),
      field('status', statusEnum(['NEW', 'PAID'])),
    ]),
    backwardProblems: [typeMismatch('/fields/2/type', 'ENUM', 'STRING')],
    forwardProblems: [typeMismatch('/fields/2/type', 'STRING', 'ENUM')],
  }),
  pair({
    name: 'rename-record-with-alias',
    description: 'rename the record, listing the old full name in its aliases',
    old: order([id, amount('int')]),
    new: order([id, amount('int')], {
      name: 'Purchase',
      aliases: ['com.example.Order'],
    }),
    backwardProblems: [],
    forwardProblems: [nameMismatch('/name', 'com.example.Purchase')],
  }),
  pair({
    name: 'rename-record-with-short-alias',
    description:
      'rename the record; an unqualified alias takes the record namespace',
    old: order([id, amount('int')]),
    new: order([id, amount('int')], { name: 'Purchase', aliases: ['Order'] }),
    backwardProblems: [],
    forwardProblems: [nameMismatch('/name', 'com.example.Purchase')],
  }),
  pair({
    name: 'rename-record-without-alias',
    description: 'rename the record without an alias',
    old: order([id, amount('int')]),
    new: order([id, amount('int')], { name: 'Purchase' }),
    backwardProblems: [nameMismatch('/name', 'com.example.Order')],
    forwardProblems: [nameMismatch('/name', 'com.example.Purchase')],
  }),
  pair({
    name: 'change-namespace',
    description:
      'move the record to another namespace (Avro >= 1.10 compares unqualified names)',
    old: order([id, amount('int')]),
    new: order([id, amount('int')], { namespace: 'com.acme' }),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'rename-and-move-with-short-alias',
    description:
      'rename and move the record; the unqualified alias resolves in the new namespace',
    old: order([id, amount('int')]),
    new: order([id, amount('int')], {
      name: 'Purchase',
      namespace: 'com.acme',
      aliases: ['Order'],
    }),
    backwardProblems: [nameMismatch('/name', 'com.example.Order')],
    forwardProblems: [nameMismatch('/name', 'com.acme.Purchase')],
  }),
  pair({
    name: 'fixed-size-change',
    description: 'change the size of a fixed',
    old: order([
      id,
      amount('int'),
      field('checksum', { type: 'fixed', name: 'MD5', size: 16 }),
    ]),
    new: order([
      id,
      amount('int'),
      field('checksum', { type: 'fixed', name: 'MD5', size: 32 }),
    ]),
    backwardProblems: [
      {
        rule: 'FIXED_SIZE_MISMATCH',
        path: '/fields/2/type/size',
        avroMessage: 'expected: 16, found: 32',
      },
    ],
    forwardProblems: [
      {
        rule: 'FIXED_SIZE_MISMATCH',
        path: '/fields/2/type/size',
        avroMessage: 'expected: 32, found: 16',
      },
    ],
  }),
  pair({
    name: 'fixed-rename',
    description: 'rename a fixed without an alias',
    old: order([
      id,
      amount('int'),
      field('checksum', { type: 'fixed', name: 'MD5', size: 16 }),
    ]),
    new: order([
      id,
      amount('int'),
      field('checksum', { type: 'fixed', name: 'Hash', size: 16 }),
    ]),
    backwardProblems: [nameMismatch('/fields/2/type/name', 'com.example.MD5')],
    forwardProblems: [nameMismatch('/fields/2/type/name', 'com.example.Hash')],
  }),
  pair({
    name: 'nested-record-add-required-field',
    description: 'add a field without a default to a nested record',
    old: order([
      id,
      amount('int'),
      field('customer', customer([field('name', 'string')])),
    ]),
    new: order([
      id,
      amount('int'),
      field(
        'customer',
        customer([field('name', 'string'), field('email', 'string')]),
      ),
    ]),
    backwardProblems: [missingDefault('/fields/2/type/fields/1', 'email')],
    forwardProblems: [],
  }),
  pair({
    name: 'shared-named-type-change',
    description:
      'a record used by two fields (the second by name) changes a field type',
    old: order([
      id,
      amount('int'),
      field('billing', {
        type: 'record',
        name: 'Address',
        fields: [field('zip', 'int')],
      }),
      field('shipping', 'Address'),
    ]),
    new: order([
      id,
      amount('int'),
      field('billing', {
        type: 'record',
        name: 'Address',
        fields: [field('zip', 'string')],
      }),
      field('shipping', 'Address'),
    ]),
    backwardProblems: [
      typeMismatch('/fields/2/type/fields/0/type', 'STRING', 'INT'),
    ],
    forwardProblems: [
      typeMismatch('/fields/2/type/fields/0/type', 'INT', 'STRING'),
    ],
  }),
  pair({
    name: 'array-items-promotion',
    description: 'array of int becomes array of long',
    old: order([
      id,
      amount('int'),
      field('tags', { type: 'array', items: 'int' }),
    ]),
    new: order([
      id,
      amount('int'),
      field('tags', { type: 'array', items: 'long' }),
    ]),
    backwardProblems: [],
    forwardProblems: [typeMismatch('/fields/2/type/items', 'INT', 'LONG')],
  }),
  pair({
    name: 'map-values-change',
    description: 'map of string becomes map of int',
    old: order([
      id,
      amount('int'),
      field('attributes', { type: 'map', values: 'string' }),
    ]),
    new: order([
      id,
      amount('int'),
      field('attributes', { type: 'map', values: 'int' }),
    ]),
    backwardProblems: [typeMismatch('/fields/2/type/values', 'INT', 'STRING')],
    forwardProblems: [typeMismatch('/fields/2/type/values', 'STRING', 'INT')],
  }),
  pair({
    name: 'array-to-map',
    description: 'array of string becomes map of string',
    old: order([
      id,
      amount('int'),
      field('tags', { type: 'array', items: 'string' }),
    ]),
    new: order([
      id,
      amount('int'),
      field('tags', { type: 'map', values: 'string' }),
    ]),
    backwardProblems: [typeMismatch('/fields/2/type', 'MAP', 'ARRAY')],
    forwardProblems: [typeMismatch('/fields/2/type', 'ARRAY', 'MAP')],
  }),
  pair({
    name: 'recursive-add-optional-field',
    description: 'add a field with a default to a recursive record',
    old: node('int'),
    new: node('int', [optionalNote]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'recursive-promote',
    description: 'widen int to long in a recursive record',
    old: node('int'),
    new: node('long'),
    backwardProblems: [],
    forwardProblems: [typeMismatch('/fields/0/type', 'INT', 'LONG')],
  }),
  pair({
    name: 'logical-type-added',
    description: 'long becomes timestamp-millis (logical types are ignored)',
    old: order([id, amount('int'), field('createdAt', 'long')]),
    new: order([
      id,
      amount('int'),
      field('createdAt', { type: 'long', logicalType: 'timestamp-millis' }),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'logical-type-changed',
    description: 'timestamp-millis (long) becomes date (int)',
    old: order([
      id,
      amount('int'),
      field('createdAt', { type: 'long', logicalType: 'timestamp-millis' }),
    ]),
    new: order([
      id,
      amount('int'),
      field('createdAt', { type: 'int', logicalType: 'date' }),
    ]),
    backwardProblems: [typeMismatch('/fields/2/type', 'INT', 'LONG')],
    forwardProblems: [],
  }),
  pair({
    name: 'top-level-int-to-long',
    description: 'a top-level int becomes long',
    old: 'int',
    new: 'long',
    backwardProblems: [],
    forwardProblems: [typeMismatch('/', 'INT', 'LONG')],
  }),
  pair({
    name: 'union-record-gains-required-field',
    description:
      'a record inside a union gains a field without a default (the fix names the field)',
    old: order([id, payment([cardNumber])]),
    new: order([id, payment([cardNumber, cvv])]),
    backwardProblems: [missingBranch('/fields/1/type/1', 'RECORD')],
    forwardProblems: [],
  }),
  pair({
    name: 'union-record-loses-required-field',
    description: 'a record inside a union loses a field without a default',
    old: order([id, payment([cardNumber, cvv])]),
    new: order([id, payment([cardNumber])]),
    backwardProblems: [],
    forwardProblems: [missingBranch('/fields/1/type/1', 'RECORD')],
  }),
  pair({
    name: 'map-of-union-record-gains-required-field',
    description:
      'a record inside a union inside a map gains a field without a default',
    old: order([
      id,
      field('cards', { type: 'map', values: ['null', card([cardNumber])] }),
    ]),
    new: order([
      id,
      field('cards', {
        type: 'map',
        values: ['null', card([cardNumber, cvv])],
      }),
    ]),
    backwardProblems: [missingBranch('/fields/1/type/values/1', 'RECORD')],
    forwardProblems: [],
  }),
  pair({
    name: 'array-of-records-gains-required-field',
    description: 'a record inside an array gains a field without a default',
    old: order([
      id,
      field('cards', { type: 'array', items: card([cardNumber]) }),
    ]),
    new: order([
      id,
      field('cards', { type: 'array', items: card([cardNumber, cvv]) }),
    ]),
    backwardProblems: [missingDefault('/fields/1/type/items/fields/1', 'cvv')],
    forwardProblems: [],
  }),
  pair({
    name: 'union-default-later-branch',
    description:
      'add a field whose union default matches its second branch (Avro 1.12: any branch)',
    old: order([id, amount('int')]),
    new: order([
      id,
      amount('int'),
      field('note', ['null', 'string'], { default: 'n/a' }),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'union-default-later-branch-in-map',
    description:
      "add a map field whose default holds a value of the union's second branch",
    old: order([id, amount('int')]),
    new: order([
      id,
      amount('int'),
      field(
        'tags',
        { type: 'map', values: ['null', 'string'] },
        { default: { source: 'web' } },
      ),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'union-default-later-branch-in-record',
    description:
      'add a record field whose default sets a union field to its second branch',
    old: order([id, amount('int')]),
    new: order([
      id,
      amount('int'),
      field(
        'address',
        {
          type: 'record',
          name: 'Address',
          fields: [field('line', ['null', 'string'])],
        },
        { default: { line: 'unknown' } },
      ),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'null-namespace-fallback-reference',
    description:
      'refer to a type of the null namespace by its short name from inside a namespace',
    old: order([id, field('origin', nullNamespacePoint)]),
    new: order([
      id,
      field('origin', nullNamespacePoint),
      field('destination', ['null', 'Point'], { default: null }),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'named-type-defined-twice',
    description: 'define an enum a second time, equal to the first',
    old: order([id, field('status', statusEnum(['NEW', 'PAID']))]),
    new: order([
      id,
      field('status', statusEnum(['NEW', 'PAID'])),
      field('previous', statusEnum(['NEW', 'PAID'], { doc: 'again' }), {
        default: 'NEW',
      }),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'enum-default-removed-symbol',
    description:
      'remove an enum symbol that a field default still names (the enum has a default)',
    old: order([
      id,
      field(
        'status',
        statusEnum(['NEW', 'PAID', 'LEGACY'], { default: 'NEW' }),
        {
          default: 'LEGACY',
        },
      ),
    ]),
    new: order([
      id,
      field('status', statusEnum(['NEW', 'PAID'], { default: 'NEW' }), {
        default: 'LEGACY',
      }),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'fixed-default-wrong-length',
    description: 'add a fixed field whose default is shorter than its size',
    old: order([id, amount('int')]),
    new: order([
      id,
      amount('int'),
      field(
        'checksum',
        { type: 'fixed', name: 'MD5', size: 16 },
        {
          default: 'none',
        },
      ),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'double-default-nan-string',
    description: 'add a double field whose default is the string "NaN"',
    old: order([id, amount('int')]),
    new: order([
      id,
      amount('int'),
      field('ratio', 'double', { default: 'NaN' }),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
  pair({
    name: 'forward-reference',
    description: 'refer to a record defined later in the file',
    old: order([id, amount('int')]),
    new: order([
      id,
      amount('int'),
      field('returnTo', ['null', 'Address'], { default: null }),
      field(
        'address',
        {
          type: 'record',
          name: 'Address',
          fields: [field('line', 'string')],
        },
        { default: { line: '' } },
      ),
    ]),
    backwardProblems: [],
    forwardProblems: [],
  }),
];

/** Changes over three versions, where transitive levels differ from the others. */
export const HISTORY_CASES: readonly HistoryCase[] = [
  {
    name: 'default-removed-later',
    description: 'v2 adds a field with a default, v3 drops the default',
    previous: [
      order([id]),
      order([id, field('note', 'string', { default: '' })]),
    ],
    new: order([id, field('note', 'string')]),
    storedVersions: 2,
    expected: {
      BACKWARD: true,
      BACKWARD_TRANSITIVE: false,
      FORWARD: true,
      FORWARD_TRANSITIVE: true,
      FULL: true,
      FULL_TRANSITIVE: false,
      NONE: true,
    },
  },
  {
    name: 'field-dropped-after-default',
    description: 'v2 gives a required field a default, v3 removes it',
    previous: [
      order([id, field('legacy', 'string')]),
      order([id, field('legacy', 'string', { default: '' })]),
    ],
    new: order([id]),
    storedVersions: 2,
    expected: {
      BACKWARD: true,
      BACKWARD_TRANSITIVE: true,
      FORWARD: true,
      FORWARD_TRANSITIVE: false,
      FULL: true,
      FULL_TRANSITIVE: false,
      NONE: true,
    },
  },
  {
    name: 'enum-default-then-symbol',
    description:
      'v2 only adds the enum default (not stored), then a symbol: checked against v1',
    previous: [
      order([id, field('status', statusEnum(['NEW', 'PAID']))]),
      order([
        id,
        field('status', statusEnum(['NEW', 'PAID'], { default: 'NEW' })),
      ]),
    ],
    new: order([
      id,
      field(
        'status',
        statusEnum(['NEW', 'PAID', 'SHIPPED'], { default: 'NEW' }),
      ),
    ]),
    storedVersions: 1,
    expected: expectedVerdicts(true, false),
  },
  {
    name: 'enum-default-stored-then-symbol',
    description:
      'v2 adds the enum default with an optional field (stored), then a symbol',
    previous: [
      order([id, field('status', statusEnum(['NEW', 'PAID']))]),
      order([
        id,
        field('status', statusEnum(['NEW', 'PAID'], { default: 'NEW' })),
        optionalNote,
      ]),
    ],
    new: order([
      id,
      field(
        'status',
        statusEnum(['NEW', 'PAID', 'SHIPPED'], { default: 'NEW' }),
      ),
      optionalNote,
    ]),
    storedVersions: 2,
    expected: {
      BACKWARD: true,
      BACKWARD_TRANSITIVE: true,
      FORWARD: true,
      FORWARD_TRANSITIVE: false,
      FULL: true,
      FULL_TRANSITIVE: false,
      NONE: true,
    },
  },
  {
    name: 'field-alias-then-rename',
    description:
      'v2 only gives `amount` the alias `total` (not stored), then the rename: checked against v1',
    previous: [
      order([id, amount('int')]),
      order([id, field('amount', 'int', { aliases: ['total'] })]),
    ],
    new: order([id, field('total', 'int', { aliases: ['amount'] })]),
    storedVersions: 1,
    expected: expectedVerdicts(true, false),
  },
  {
    name: 'record-alias-then-rename',
    description:
      'v2 only gives the record an alias (not stored), then the rename: checked against v1',
    previous: [
      order([id, amount('int')]),
      order([id, amount('int')], { aliases: ['com.example.Purchase'] }),
    ],
    new: order([id, amount('int')], {
      name: 'Purchase',
      aliases: ['com.example.Order'],
    }),
    storedVersions: 1,
    expected: expectedVerdicts(true, false),
  },
  {
    name: 'null-default-spelled-out-then-dropped',
    description:
      'v2 only adds "default": null to a nullable field (not stored), then drops the field',
    previous: [
      order([id, field('note', ['null', 'string'])]),
      order([id, optionalNote]),
    ],
    new: order([id]),
    storedVersions: 1,
    expected: expectedVerdicts(true, false),
  },
  {
    name: 'formatting-only-then-optional-field',
    description:
      'v2 only spells `"string"` as an object, writes the inherited namespace and adds docs (not stored)',
    previous: [
      order([id, field('status', statusEnum(['NEW', 'PAID']))]),
      order(
        [
          field('id', { type: 'string' }, { doc: 'the order id' }),
          field(
            'status',
            statusEnum(['NEW', 'PAID'], { namespace: 'com.example' }),
          ),
        ],
        { doc: 'an order' },
      ),
    ],
    new: order([
      id,
      field('status', statusEnum(['NEW', 'PAID'])),
      optionalNote,
    ]),
    storedVersions: 1,
    expected: ALL_ACCEPTED,
  },
  {
    name: 'revert-to-first-version',
    description:
      'v2 adds a required field; the new version is v1 again (with a doc): accepted unchecked',
    previous: [order([id]), order([id, field('legacy', 'string')])],
    new: order([id], { doc: 'back to v1' }),
    storedVersions: 2,
    existingVersion: 1,
    expected: ALL_ACCEPTED,
  },
  {
    name: 'change-after-revert',
    description:
      'v3 reverts to v1 (not stored), then a change: checked against v2, the latest stored',
    previous: [
      order([id, field('legacy', 'string')]),
      order([id]),
      order([id, field('legacy', 'string')]),
    ],
    new: order([id, field('legacy', 'string'), optionalNote]),
    storedVersions: 2,
    expected: {
      BACKWARD: false,
      BACKWARD_TRANSITIVE: false,
      FORWARD: true,
      FORWARD_TRANSITIVE: true,
      FULL: false,
      FULL_TRANSITIVE: false,
      NONE: true,
    },
  },
  {
    name: 'doc-only-version-between-transitive',
    description:
      'v2 gives a required field a default, v3 only adds docs (not stored), then the field goes',
    previous: [
      order([id, field('legacy', 'string')]),
      order([id, field('legacy', 'string', { default: '' })]),
      order([id, field('legacy', 'string', { default: '', doc: 'old' })], {
        doc: 'an order',
      }),
    ],
    new: order([id]),
    storedVersions: 2,
    expected: {
      BACKWARD: true,
      BACKWARD_TRANSITIVE: true,
      FORWARD: true,
      FORWARD_TRANSITIVE: false,
      FULL: true,
      FULL_TRANSITIVE: false,
      NONE: true,
    },
  },
];
