import { Type, types } from 'avsc';

/** One value that does not match its schema. */
export interface ContractIssue {
  /** Dotted path inside the record (`subtaskId`, `items.0.name`); empty for the record itself. */
  readonly path: string;
  /** The Avro type expected there, e.g. `string`, `long (safe integer)`, `enum UploadOutcome`. */
  readonly expected: string;
  /** A short description of the value found. */
  readonly received: string;
}

/** Thrown by `validate()` and `fromAvro()` of generated classes. */
export class ContractValidationError extends Error {
  override readonly name = 'ContractValidationError';

  constructor(
    readonly messageName: string,
    readonly issues: readonly ContractIssue[],
  ) {
    super(
      `Invalid ${messageName}: ${issues
        .map(
          (issue) =>
            `${issue.path || '(record)'}: expected ${issue.expected}, got ${issue.received}`,
        )
        .join('; ')}`,
    );
  }

  /** The paths of the bad values, in schema order. */
  get paths(): string[] {
    return this.issues.map((issue) => issue.path);
  }
}

const MAX_SHOWN_STRING = 40;

function describeType(type: Type): string {
  if (type instanceof types.LogicalType) {
    const name = type.typeName.replace(/^logical:/, '');
    return name === 'timestamp-millis' ? 'timestamp-millis (Date)' : name;
  }
  if (type instanceof types.EnumType) {
    return `enum ${type.name} (${type.symbols.join(', ')})`;
  }
  if (type instanceof types.FixedType) {
    return `fixed ${type.name} (Buffer of ${type.size} bytes)`;
  }
  if (type instanceof types.RecordType) {
    return `record ${type.name}`;
  }
  if (
    type instanceof types.UnwrappedUnionType ||
    type instanceof types.WrappedUnionType
  ) {
    return `one of ${type.types.map(describeType).join(' | ')}`;
  }
  switch (type.typeName) {
    case 'int':
      return 'int (32-bit integer)';
    case 'long':
      return 'long (safe integer)';
    case 'bytes':
      return 'bytes (Buffer)';
    default:
      return type.typeName;
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (typeof value === 'string') {
    const shown =
      value.length > MAX_SHOWN_STRING
        ? `${value.slice(0, MAX_SHOWN_STRING)}…`
        : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return `${typeof value} ${String(value)}`;
  }
  if (Buffer.isBuffer(value)) {
    return `Buffer of ${value.length} bytes`;
  }
  if (Array.isArray(value)) {
    return `array of ${value.length}`;
  }
  if (Object.prototype.toString.call(value) === '[object Date]') {
    return Number.isNaN((value as Date).getTime()) ? 'invalid Date' : 'Date';
  }
  return typeof value;
}

/**
 * Checks `value` against a contract's schema; throws ContractValidationError listing every bad
 * value with its path.
 */
export function assertValidContract<T>(
  contract: { readonly messageName: string; readonly schema: Type },
  value: unknown,
): asserts value is T {
  // The hook makes avsc track paths, which is slower: only pay for it when the value is bad.
  if (contract.schema.isValid(value)) {
    return;
  }
  const issues: ContractIssue[] = [];
  contract.schema.isValid(value, {
    errorHook: (path, badValue: unknown, type) => {
      issues.push({
        path: path.join('.'),
        expected: describeType(type),
        received: describeValue(badValue),
      });
    },
  });
  if (issues.length === 0) {
    issues.push({
      path: '',
      expected: describeType(contract.schema),
      received: describeValue(value),
    });
  }
  throw new ContractValidationError(contract.messageName, issues);
}
