import type { MessageEntry } from './catalogue';
import type { SchemaModel, TsType } from './model';
import { jsonPath, type Problem } from './problems';

/** The Avro types a key field may have, as the error message names them. */
const KEY_TYPES_TEXT = '"string" or ["null", "string"]';

function isString(type: TsType): boolean {
  return type.kind === 'primitive' && type.ts === 'string';
}

function isNull(type: TsType): boolean {
  return type.kind === 'primitive' && type.ts === 'null';
}

/**
 * A key must be a string on the wire. A nullable string is allowed too: a null value is sent
 * without a key, as a message with no declared key is. A `uuid` string counts as a string.
 */
export function isKeyType(type: TsType): boolean {
  if (isString(type)) {
    return true;
  }
  return (
    type.kind === 'union' &&
    type.branches.length === 2 &&
    type.branches.some(isString) &&
    type.branches.some(isNull)
  );
}

/** The field's type exactly as the .avsc file writes it, for error messages. */
function writtenType(model: SchemaModel, fieldName: string): string {
  const definition = model.definition as {
    fields?: ReadonlyArray<{ name?: unknown; type?: unknown }>;
  };
  const node = definition.fields?.find((field) => field.name === fieldName);
  return JSON.stringify(node?.type);
}

/** Checks the catalogue's `key` of one message against its record; undefined when fine. */
export function checkMessageKey(
  entry: MessageEntry,
  model: SchemaModel,
  catalogueLabel: string,
  schemasLabel: string,
): Problem | undefined {
  if (entry.key === undefined) {
    return undefined;
  }
  const at = (message: string): Problem => ({
    file: catalogueLabel,
    path: jsonPath(['messages', entry.index, 'key']),
    message,
  });
  const field = model.record.fields.find(({ name }) => name === entry.key);
  if (field === undefined) {
    const names = model.record.fields.map(({ name }) => name);
    const choices =
      names.length === 0
        ? 'the record has no fields'
        : `the key must name one of: ${names.join(', ')}`;
    return at(
      `${entry.name} (${schemasLabel}/${model.file}) has no top-level field "${entry.key}"; ${choices}`,
    );
  }
  if (!isKeyType(field.type)) {
    return at(
      `field "${entry.key}" of ${entry.name} has type ${writtenType(model, entry.key)}; a Kafka key field must be ${KEY_TYPES_TEXT}`,
    );
  }
  return undefined;
}
