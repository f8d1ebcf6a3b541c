import type { JsonPath } from './model';

/** Where a bad-input problem is: 1-based line and column when known. */
export interface InputLocation {
  readonly jsonPath?: JsonPath;
  readonly line?: number;
  readonly column?: number;
}

/**
 * Bad input: an unreadable file, invalid JSON or an invalid Avro schema.
 * The CLI maps it to exit code 2.
 */
export class SchemaInputError extends Error {
  constructor(
    readonly reason: string,
    readonly file: string | undefined,
    readonly location: InputLocation = {},
  ) {
    super(describeInputError(reason, file, location));
    this.name = 'SchemaInputError';
  }

  /** The same error, now knowing the file and the line/column of its JSON path. */
  withSource(
    file: string | undefined,
    location: InputLocation,
  ): SchemaInputError {
    return new SchemaInputError(this.reason, file ?? this.file, {
      ...this.location,
      ...location,
    });
  }
}

/**
 * A schema pair Avro's Java checker cannot evaluate (it throws, and the
 * registry answers 422): a reader field whose name and aliases match more
 * than one writer field.
 */
export class UncheckableSchemaPairError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UncheckableSchemaPairError';
  }
}

function describeInputError(
  reason: string,
  file: string | undefined,
  location: InputLocation,
): string {
  const where = [file ?? '<schema>'];
  if (location.line !== undefined) {
    where.push(String(location.line));
    if (location.column !== undefined) where.push(String(location.column));
  }
  const pointer =
    location.jsonPath && location.jsonPath.length > 0
      ? ` (at ${jsonPointer(location.jsonPath)})`
      : '';
  return `${where.join(':')}: ${reason}${pointer}`;
}

export function jsonPointer(path: JsonPath): string {
  return (
    '/' +
    path
      .map((token) => String(token).replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/')
  );
}
