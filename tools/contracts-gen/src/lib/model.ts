/** The TypeScript shape of an Avro type. */
export type TsType =
  | {
      readonly kind: 'primitive';
      readonly ts: 'null' | 'boolean' | 'number' | 'string' | 'Buffer' | 'Date';
    }
  | {
      readonly kind: 'named';
      readonly fullName: string;
      readonly declKind: 'enum' | 'record';
    }
  | { readonly kind: 'array'; readonly items: TsType }
  | { readonly kind: 'map'; readonly values: TsType }
  | { readonly kind: 'union'; readonly branches: readonly TsType[] };

/** How a field's schema default is written in a generated constructor. */
export type DefaultValue =
  /** A JSON value that is also the TypeScript value (null, boolean, number, string, enum symbol, arrays/maps of those). */
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'date'; readonly millis: number }
  /** Bytes, fixed, records, unions inside collections: read from the parsed schema at run time. */
  | { readonly kind: 'schema' };

export interface FieldModel {
  readonly name: string;
  readonly doc?: string;
  readonly type: TsType;
  readonly defaultValue?: DefaultValue;
}

export interface EnumDecl {
  readonly kind: 'enum';
  readonly name: string;
  readonly fullName: string;
  readonly doc?: string;
  readonly symbols: readonly string[];
  readonly defaultSymbol?: string;
}

export interface RecordDecl {
  readonly kind: 'record';
  readonly name: string;
  readonly fullName: string;
  readonly doc?: string;
  readonly fields: readonly FieldModel[];
}

/** Fixed types map to Buffer; kept to check that a name means one type everywhere. */
export interface FixedDecl {
  readonly kind: 'fixed';
  readonly name: string;
  readonly fullName: string;
  readonly size: number;
}

export type NamedDecl = EnumDecl | RecordDecl | FixedDecl;

/** One .avsc file, understood. */
export interface SchemaModel {
  /** The file name inside the schemas folder. */
  readonly file: string;
  /** The top-level record: the message. */
  readonly record: RecordDecl;
  /** Named types defined inside it, in definition order. */
  readonly named: readonly NamedDecl[];
  /** The parsed file, emitted verbatim as the registered schema. */
  readonly definition: unknown;
}

export function isNullable(type: TsType): boolean {
  return (
    (type.kind === 'primitive' && type.ts === 'null') ||
    (type.kind === 'union' &&
      type.branches.some((branch) => isNullable(branch)))
  );
}

/** A field may be left out of a constructor's input when the schema gives it a value. */
export function isOptionalField(field: FieldModel): boolean {
  return field.defaultValue !== undefined || isNullable(field.type);
}

/** A comparable form of a declaration: everything that shapes generated code except docs. */
export function declSignature(decl: NamedDecl): string {
  if (decl.kind === 'record') {
    return JSON.stringify({
      ...decl,
      doc: undefined,
      fields: decl.fields.map((field) => ({ ...field, doc: undefined })),
    });
  }
  return JSON.stringify({ ...decl, doc: undefined });
}
