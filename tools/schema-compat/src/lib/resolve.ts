import { UncheckableSchemaPairError, jsonPointer } from './errors';
import {
  javaTypeName,
  type AvroNode,
  type EnumNode,
  type FieldNode,
  type FixedNode,
  type IncompatibilityType,
  type NamedNode,
  type RecordNode,
} from './model';

/** One problem, as Avro Java's `SchemaCompatibility.Incompatibility` reports it. */
export interface Incompatibility {
  readonly type: IncompatibilityType;
  /** Java's `getMessage()`, e.g. `reader type: INT not compatible with writer type: LONG`. */
  readonly message: string;
  /** Java's `getLocation()`: a JSON pointer into the reader schema, e.g. `/fields/3/type`. */
  readonly location: string;
  /** The same location as tokens (root token dropped). */
  readonly readerTokens: readonly string[];
  /**
   * Not in Java: where the checker was in the writer schema, in the same
   * token convention (field tokens use the writer field's position).
   */
  readonly writerTokens: readonly string[];
  readonly readerFragment: AvroNode;
  readonly writerFragment: AvroNode;
}

export interface ReaderWriterResult {
  readonly compatible: boolean;
  readonly incompatibilities: readonly Incompatibility[];
}

const COMPATIBLE: ReaderWriterResult = {
  compatible: true,
  incompatibilities: [],
};
const IN_PROGRESS = Symbol('recursion in progress');

/**
 * Can `reader` decode everything written with `writer`? A faithful port of
 * Avro 1.12 Java `SchemaCompatibility.checkReaderWriterCompatibility`,
 * including its memoisation (by node identity, which also guards recursive
 * types) and its location quirks:
 * - a writer union read by a non-union reader pushes the writer branch index;
 * - a writer union read by a reader union reports MISSING_UNION_BRANCH at
 *   `<union>/<writer branch index>`;
 * - union branch probes run with a fresh location, and a memoised result keeps
 *   the location where it was first computed.
 */
export function checkReaderWriter(
  reader: AvroNode,
  writer: AvroNode,
): ReaderWriterResult {
  return new ReaderWriterChecker().check(reader, writer);
}

/** Java's location stack for the reader, plus our own one for the writer. */
class Location {
  readonly reader: string[] = [];
  readonly writer: string[] = [];
  private readonly writerPushed: boolean[] = [];

  /** `writerToken` null: the writer side does not descend (e.g. a field the writer lacks). */
  push(readerToken: string, writerToken: string | null = readerToken): void {
    this.reader.push(readerToken);
    this.writerPushed.push(writerToken !== null);
    if (writerToken !== null) this.writer.push(writerToken);
  }

  pop(): void {
    this.reader.pop();
    if (this.writerPushed.pop() === true) this.writer.pop();
  }
}

const ROOT_TOKEN = '';

class ReaderWriterChecker {
  private readonly memo = new Map<
    AvroNode,
    Map<AvroNode, ReaderWriterResult | typeof IN_PROGRESS>
  >();

  check(reader: AvroNode, writer: AvroNode): ReaderWriterResult {
    return this.compatibility(
      ROOT_TOKEN,
      ROOT_TOKEN,
      reader,
      writer,
      new Location(),
    );
  }

  private compatibility(
    readerToken: string,
    writerToken: string | null,
    reader: AvroNode,
    writer: AvroNode,
    location: Location,
  ): ReaderWriterResult {
    location.push(readerToken, writerToken);
    let byWriter = this.memo.get(reader);
    if (byWriter === undefined) {
      byWriter = new Map();
      this.memo.set(reader, byWriter);
    }
    const memoised = byWriter.get(writer);
    let result: ReaderWriterResult;
    if (memoised === IN_PROGRESS) {
      // Break the recursion: compatible unless proven otherwise.
      result = COMPATIBLE;
    } else if (memoised !== undefined) {
      result = memoised;
    } else {
      byWriter.set(writer, IN_PROGRESS);
      result = this.calculate(reader, writer, location);
      byWriter.set(writer, result);
    }
    location.pop();
    return result;
  }

  private calculate(
    reader: AvroNode,
    writer: AvroNode,
    location: Location,
  ): ReaderWriterResult {
    if (reader.kind === writer.kind)
      return this.sameKind(reader, writer, location);

    if (writer.kind === 'union') {
      // A reader that reads every branch of the writer union is compatible.
      return merge(
        ...writer.branches.map((branch, index) =>
          this.compatibility(
            String(index),
            String(index),
            reader,
            branch,
            location,
          ),
        ),
      );
    }

    switch (reader.kind) {
      case 'long':
        return writer.kind === 'int'
          ? COMPATIBLE
          : typeMismatch(reader, writer, location);
      case 'float':
        return writer.kind === 'int' || writer.kind === 'long'
          ? COMPATIBLE
          : typeMismatch(reader, writer, location);
      case 'double':
        return writer.kind === 'int' ||
          writer.kind === 'long' ||
          writer.kind === 'float'
          ? COMPATIBLE
          : typeMismatch(reader, writer, location);
      case 'bytes':
        return writer.kind === 'string'
          ? COMPATIBLE
          : typeMismatch(reader, writer, location);
      case 'string':
        return writer.kind === 'bytes'
          ? COMPATIBLE
          : typeMismatch(reader, writer, location);
      case 'union': {
        for (const branch of reader.branches) {
          if (this.check(branch, writer).compatible) return COMPATIBLE;
        }
        return incompatible(
          'MISSING_UNION_BRANCH',
          `reader union lacking writer type: ${javaTypeName(writer)}`,
          reader,
          writer,
          location,
        );
      }
      default:
        return typeMismatch(reader, writer, location);
    }
  }

  private sameKind(
    reader: AvroNode,
    writer: AvroNode,
    location: Location,
  ): ReaderWriterResult {
    switch (reader.kind) {
      case 'array':
        return this.compatibility(
          'items',
          'items',
          reader.items,
          (writer as typeof reader).items,
          location,
        );
      case 'map':
        return this.compatibility(
          'values',
          'values',
          reader.values,
          (writer as typeof reader).values,
          location,
        );
      case 'fixed':
        return merge(
          checkNames(reader, writer as FixedNode, location),
          checkFixedSize(reader, writer as FixedNode, location),
        );
      case 'enum':
        return merge(
          checkNames(reader, writer as EnumNode, location),
          checkEnumSymbols(reader, writer as EnumNode, location),
        );
      case 'record':
        return merge(
          checkNames(reader, writer as RecordNode, location),
          this.checkRecordFields(reader, writer as RecordNode, location),
        );
      case 'union': {
        const writerUnion = writer as typeof reader;
        const results = writerUnion.branches.map((branch, index) => {
          location.push(String(index));
          const result = this.check(reader, branch).compatible
            ? COMPATIBLE
            : incompatible(
                'MISSING_UNION_BRANCH',
                `reader union lacking writer type: ${javaTypeName(branch)}`,
                reader,
                writer,
                location,
              );
          location.pop();
          return result;
        });
        return merge(...results);
      }
      default:
        return COMPATIBLE;
    }
  }

  private checkRecordFields(
    reader: RecordNode,
    writer: RecordNode,
    location: Location,
  ): ReaderWriterResult {
    location.push('fields');
    const results = reader.fields.map((readerField) => {
      const writerField = lookupWriterField(writer, readerField);
      let result: ReaderWriterResult = COMPATIBLE;
      if (writerField === undefined) {
        location.push(String(readerField.pos), null);
        if (!readerField.hasDefault) {
          if (
            readerField.type.kind === 'enum' &&
            readerField.type.enumDefault !== null
          ) {
            // Java compares the enum with the writer *record* here, which always
            // ends in TYPE_MISMATCH at /fields/<n>/type.
            result = this.compatibility(
              'type',
              null,
              readerField.type,
              writer,
              location,
            );
          } else {
            result = incompatible(
              'READER_FIELD_MISSING_DEFAULT_VALUE',
              readerField.name,
              reader,
              writer,
              location,
            );
          }
        }
        location.pop();
      } else {
        location.push(String(readerField.pos), String(writerField.pos));
        result = this.compatibility(
          'type',
          'type',
          readerField.type,
          writerField.type,
          location,
        );
        location.pop();
      }
      return result;
    });
    location.pop();
    return merge(...results);
  }
}

/** Java's `lookupWriterField`: the writer field named like the reader field or one of its aliases. */
function lookupWriterField(
  writer: RecordNode,
  readerField: FieldNode,
): FieldNode | undefined {
  const matches: FieldNode[] = [];
  const direct = writer.fields.find((field) => field.name === readerField.name);
  if (direct !== undefined) matches.push(direct);
  for (const alias of readerField.aliases) {
    const aliased = writer.fields.find((field) => field.name === alias);
    if (aliased !== undefined) matches.push(aliased);
  }
  if (matches.length > 1) {
    throw new UncheckableSchemaPairError(
      `reader field "${readerField.name}" (with its aliases) matches several fields of writer record ` +
        `${writer.fullName}: ${matches.map((field) => field.name).join(', ')}; ` +
        `Avro's Java checker fails on this pair and the registry rejects it`,
    );
  }
  return matches[0];
}

/** Java's `schemaNameEquals`: same unqualified name, or a reader alias equal to the writer's full name. */
export function schemaNameEquals(
  reader: NamedNode,
  writer: NamedNode,
): boolean {
  return (
    reader.name === writer.name || reader.aliases.includes(writer.fullName)
  );
}

function checkNames(
  reader: NamedNode,
  writer: NamedNode,
  location: Location,
): ReaderWriterResult {
  if (schemaNameEquals(reader, writer)) return COMPATIBLE;
  location.push('name');
  const result = incompatible(
    'NAME_MISMATCH',
    `expected: ${writer.fullName}`,
    reader,
    writer,
    location,
  );
  location.pop();
  return result;
}

function checkFixedSize(
  reader: FixedNode,
  writer: FixedNode,
  location: Location,
): ReaderWriterResult {
  if (reader.size === writer.size) return COMPATIBLE;
  location.push('size');
  const result = incompatible(
    'FIXED_SIZE_MISMATCH',
    `expected: ${writer.size}, found: ${reader.size}`,
    reader,
    writer,
    location,
  );
  location.pop();
  return result;
}

function checkEnumSymbols(
  reader: EnumNode,
  writer: EnumNode,
  location: Location,
): ReaderWriterResult {
  const missing = [...new Set(writer.symbols)]
    .filter((symbol) => !reader.symbols.includes(symbol))
    .sort(compareUtf16);
  if (missing.length === 0) return COMPATIBLE;
  // Avro >= 1.11 (and so Apicurio 3.x): a reader enum default absorbs unknown symbols.
  if (
    reader.enumDefault !== null &&
    reader.symbols.includes(reader.enumDefault)
  )
    return COMPATIBLE;
  location.push('symbols');
  const result = incompatible(
    'MISSING_ENUM_SYMBOLS',
    `[${missing.join(', ')}]`,
    reader,
    writer,
    location,
  );
  location.pop();
  return result;
}

function typeMismatch(
  reader: AvroNode,
  writer: AvroNode,
  location: Location,
): ReaderWriterResult {
  return incompatible(
    'TYPE_MISMATCH',
    `reader type: ${javaTypeName(reader)} not compatible with writer type: ${javaTypeName(writer)}`,
    reader,
    writer,
    location,
  );
}

function incompatible(
  type: IncompatibilityType,
  message: string,
  readerFragment: AvroNode,
  writerFragment: AvroNode,
  location: Location,
): ReaderWriterResult {
  const readerTokens = location.reader.slice(1);
  return {
    compatible: false,
    incompatibilities: [
      {
        type,
        message,
        location: jsonPointer(readerTokens),
        readerTokens,
        writerTokens: location.writer.slice(1),
        readerFragment,
        writerFragment,
      },
    ],
  };
}

/** Java's `mergedWith`: incompatible if any part is; problems concatenated. */
function merge(...results: ReaderWriterResult[]): ReaderWriterResult {
  if (results.every((result) => result.compatible)) return COMPATIBLE;
  return {
    compatible: results.every((result) => result.compatible),
    incompatibilities: results.flatMap((result) => result.incompatibilities),
  };
}

/** Java's `String.compareTo` (UTF-16 code units), which `TreeSet` uses. */
function compareUtf16(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
