import { Type } from 'avsc';
import type { ForSchemaOptions } from 'avsc';
import { TimestampMillisType } from './timestamp-millis.type';

/** Anything avsc's `Type.forSchema` accepts. */
export type AvroSchema = Parameters<typeof Type.forSchema>[0];

/** The logical types contracts implement; every other logical type reads as its underlying type. */
export const CONTRACT_LOGICAL_TYPES: ForSchemaOptions['logicalTypes'] =
  Object.freeze({ 'timestamp-millis': TimestampMillisType });

/**
 * avsc options for contract schemas: `timestamp-millis` ↔ `Date`, and unions unwrapped (a union
 * value is the bare branch value; the generator rejects unions avsc cannot unwrap).
 * A fresh object on every call, because avsc writes into the options it is given.
 */
export function avroTypeOptions(): Partial<ForSchemaOptions> {
  return { logicalTypes: CONTRACT_LOGICAL_TYPES, wrapUnions: false };
}

/**
 * Parses a schema (a contract's own, or a writer's schema fetched from the registry, as an object or
 * JSON text) with {@link avroTypeOptions}, so its values have the contract classes' JavaScript shapes.
 */
export function parseContractSchema(schema: string | object): Type {
  const definition: unknown =
    typeof schema === 'string' ? JSON.parse(schema) : schema;
  return Type.forSchema(definition as AvroSchema, avroTypeOptions());
}
