import { Type, types } from 'avsc';

/**
 * A fresh copy of a record field's schema default, in the JavaScript shape avsc reads (Buffer,
 * Date, …). Generated constructors use it for defaults that are not plain literals.
 */
export function fieldDefault(recordType: Type, fieldName: string): unknown {
  const field =
    recordType instanceof types.RecordType
      ? recordType.fields.find((candidate) => candidate.name === fieldName)
      : undefined;
  if (field === undefined) {
    throw new Error(`${String(recordType.name)} has no field ${fieldName}`);
  }
  return field.defaultValue();
}
