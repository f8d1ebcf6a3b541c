/** JSON as read from an `.avsc` file. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

export type JsonObject = { [key: string]: JsonValue };

/** A location inside a JSON document: property names and array indexes. */
export type JsonPath = readonly (string | number)[];

export const PRIMITIVE_TYPES = [
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
] as const;

export type PrimitiveTypeName = (typeof PRIMITIVE_TYPES)[number];

/**
 * A schema node after normalisation: named references are resolved to the one
 * node that defines the type (so recursive schemas are cyclic graphs), names
 * are qualified with their inherited namespace, and every node remembers where
 * it is defined in the source file.
 */
export type AvroNode =
  | PrimitiveNode
  | RecordNode
  | EnumNode
  | FixedNode
  | ArrayNode
  | MapNode
  | UnionNode;

/** Properties besides Avro's reserved ones (`logicalType`, `"x-…"`, …), in source order, as Java keeps them. */
export type Props = readonly (readonly [string, JsonValue])[];

interface NodeBase {
  /** Where this node's JSON is in the file (for a named type: its definition). */
  readonly source: JsonPath;
  readonly props: Props;
}

export interface PrimitiveNode extends NodeBase {
  readonly kind: PrimitiveTypeName;
  /** Kept for messages only: Avro's checker ignores logical types. */
  readonly logicalType?: string;
}

interface NamedBase extends NodeBase {
  /** Unqualified name. */
  readonly name: string;
  readonly namespace: string | null;
  readonly fullName: string;
  /** Aliases exactly as Java's `Schema.getAliases()` returns them. */
  readonly aliases: readonly string[];
  readonly doc?: string;
}

export interface RecordNode extends NamedBase {
  readonly kind: 'record';
  readonly fields: FieldNode[];
}

export type FieldOrder = 'ascending' | 'descending' | 'ignore';

export interface FieldNode {
  readonly name: string;
  readonly aliases: readonly string[];
  type: AvroNode;
  readonly hasDefault: boolean;
  readonly defaultValue?: JsonValue;
  /** Position in the record, as Java's `Field.pos()`. */
  readonly pos: number;
  readonly order: FieldOrder;
  readonly doc?: string;
  readonly props: Props;
  readonly source: JsonPath;
}

export interface EnumNode extends NamedBase {
  readonly kind: 'enum';
  readonly symbols: readonly string[];
  readonly enumDefault: string | null;
}

export interface FixedNode extends NamedBase {
  readonly kind: 'fixed';
  readonly size: number;
}

export interface ArrayNode extends NodeBase {
  readonly kind: 'array';
  items: AvroNode;
}

export interface MapNode extends NodeBase {
  readonly kind: 'map';
  values: AvroNode;
}

export interface UnionNode extends NodeBase {
  readonly kind: 'union';
  readonly branches: AvroNode[];
}

export type NamedNode = RecordNode | EnumNode | FixedNode;

export function isNamed(node: AvroNode): node is NamedNode {
  return (
    node.kind === 'record' || node.kind === 'enum' || node.kind === 'fixed'
  );
}

/** Java's `Schema.Type` name, used in Avro's own messages. */
export function javaTypeName(node: AvroNode): string {
  return node.kind.toUpperCase();
}

/** Rule names of Avro Java's `SchemaCompatibility.SchemaIncompatibilityType`. */
export const INCOMPATIBILITY_TYPES = [
  'NAME_MISMATCH',
  'FIXED_SIZE_MISMATCH',
  'MISSING_ENUM_SYMBOLS',
  'READER_FIELD_MISSING_DEFAULT_VALUE',
  'TYPE_MISMATCH',
  'MISSING_UNION_BRANCH',
] as const;

export type IncompatibilityType = (typeof INCOMPATIBILITY_TYPES)[number];

export const COMPATIBILITY_LEVELS = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
] as const;

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export function isCompatibilityLevel(
  value: string,
): value is CompatibilityLevel {
  return (COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}
