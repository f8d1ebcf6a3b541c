import type { JsonObject, JsonValue } from './model';
import { checkRegistration } from './registration';
import { modelStoredHistory } from './registry-history';
import { parseSchemaJson, parseSchemaText } from './schema';
import { unstoredChanges } from './unstored-changes';

const order = (fields: JsonValue[], extra: JsonObject = {}): JsonObject => ({
  type: 'record',
  name: 'Order',
  namespace: 'com.example',
  ...extra,
  fields,
});
const id = { name: 'id', type: 'string' };
const legacy = { name: 'legacy', type: 'string' };

describe('the versions the registry keeps', () => {
  it('stores a schema only when its canonical form is new: not a doc change, not a revert', () => {
    const history = [
      order([id]),
      order([id], { doc: 'v1 with a doc' }),
      order([id, legacy]),
      order([id]),
    ].map((json) => parseSchemaJson(json));
    const model = modelStoredHistory(history);
    expect(model.stored.map((version) => version.historyIndex)).toEqual([0, 2]);
    expect(model.stored.map((version) => version.version)).toEqual([1, 2]);
    expect(model.versionOf).toEqual([1, 1, 2, 1]);
  });

  it('checks a new schema against the stored versions only, indexing errors by them', () => {
    const result = checkRegistration({
      level: 'BACKWARD',
      newSchema: order([id, legacy, { name: 'x', type: 'int' }]),
      history: [order([id]), order([id, legacy]), order([id])],
    });
    // The latest stored version is v2 ({id, legacy}): the revert to v1 added none.
    expect(result.stored).toHaveLength(2);
    expect(result.compatible).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({
        rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
        field: 'x',
        previousIndex: 1,
      }),
    ]);
    expect(result.existing).toBeUndefined();
  });

  it('accepts unchecked a schema the registry already holds, saying what the check would say', () => {
    const result = checkRegistration({
      level: 'FORWARD',
      newSchema: order([id], { doc: 'back' }),
      history: [order([id]), order([id, legacy])],
    });
    expect(result.compatible).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.existing?.version).toBe(1);
    expect(result.unchecked?.compatible).toBe(false);
    expect(result.unchecked?.errors[0]?.field).toBe('legacy');
  });
});

describe('what a version the registry does not store changed', () => {
  const text = (json: JsonValue, file: string) =>
    parseSchemaText(JSON.stringify(json, null, 2), file);

  it('names aliases, docs, enum defaults and "default": null with their place', () => {
    const before = text(
      order([
        { name: 'amount', type: 'int' },
        {
          name: 'status',
          type: { type: 'enum', name: 'Status', symbols: ['A'] },
        },
        { name: 'note', type: ['null', 'string'] },
      ]),
      'before.avsc',
    );
    const after = text(
      order(
        [
          { name: 'amount', type: 'int', aliases: ['total'] },
          {
            name: 'status',
            type: {
              type: 'enum',
              name: 'Status',
              symbols: ['A'],
              default: 'A',
            },
          },
          { name: 'note', type: ['null', 'string'], default: null },
        ],
        { doc: 'an order' },
      ),
      'after.avsc',
    );
    expect(unstoredChanges(before, after)).toEqual([
      'doc of record `com.example.Order`',
      'aliases of field `amount`',
      'the default of enum `com.example.Status`',
      '`"default": null` of field `note` (the registry counts a nullable field without a default as having it)',
    ]);
  });

  it('calls the rest formatting, and nothing when the text is the same', () => {
    const compact = parseSchemaText(JSON.stringify(order([id])), 'a.avsc');
    const spelled = parseSchemaText(
      JSON.stringify(
        order([{ name: 'id', type: { type: 'string' } }]),
        null,
        2,
      ),
      'b.avsc',
    );
    expect(unstoredChanges(compact, spelled)).toEqual([
      expect.stringMatching(/^formatting/),
    ]);
    expect(unstoredChanges(compact, compact)).toEqual([]);
  });
});
