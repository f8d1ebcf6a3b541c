import { jsonPointer } from './errors';
import { explain, type Direction } from './explain';
import { locate } from './locate';
import type {
  CompatibilityLevel,
  IncompatibilityType,
  JsonPath,
} from './model';
import {
  checkReaderWriter,
  type Incompatibility,
  type ReaderWriterResult,
} from './resolve';
import { toParsedSchema, type ParsedSchema, type SchemaInput } from './schema';

/** One problem found by {@link checkLevel}. */
export interface CompatibilityError {
  /** Avro Java's `SchemaIncompatibilityType`. */
  readonly rule: IncompatibilityType;
  /** Avro Java's location: JSON pointer into the *reader* schema (see README). */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  /** BACKWARD: the new schema is the reader; FORWARD: the earlier version is. */
  readonly direction: Direction;
  /** Index into `previous` of the version this problem is against. */
  readonly previousIndex: number;
  /** Field names leading to the problem in the reader, e.g. `payload.amount`. */
  readonly field: string | undefined;
  /** Avro Java's own message, e.g. `reader type: INT not compatible with writer type: LONG`. */
  readonly avroMessage: string;
  /** Where the problem is in the reader's source file. */
  readonly readerJsonPath: JsonPath;
  /** Where the checker was in the writer's source file. */
  readonly writerJsonPath: JsonPath;
}

export interface LevelResult {
  readonly compatible: boolean;
  readonly level: CompatibilityLevel;
  readonly errors: readonly CompatibilityError[];
}

export interface CheckLevelOptions {
  readonly level: CompatibilityLevel;
  readonly newSchema: SchemaInput;
  /** Earlier versions, oldest first. Non-transitive levels use only the last one. */
  readonly previous: readonly SchemaInput[];
}

/** Can `reader` read everything written with `writer`? (Avro Java's rules and locations.) */
export function checkCompatibility(options: {
  readonly reader: SchemaInput;
  readonly writer: SchemaInput;
}): ReaderWriterResult {
  return checkReaderWriter(
    toParsedSchema(options.reader).root,
    toParsedSchema(options.writer).root,
  );
}

/**
 * Is `newSchema` allowed after `previous` under `level`, with Confluent's
 * meaning of the levels: BACKWARD = the new schema reads data written with the
 * latest earlier one, FORWARD = the latest earlier one reads data written with
 * the new one, FULL = both; *_TRANSITIVE = the same against every earlier
 * version (checked newest first); NONE = anything goes. No earlier version
 * means compatible, as in the registry.
 */
export function checkLevel(options: CheckLevelOptions): LevelResult {
  const { level } = options;
  const newSchema = toParsedSchema(options.newSchema);
  const previous = options.previous.map(toParsedSchema);
  if (level === 'NONE' || previous.length === 0)
    return { compatible: true, level, errors: [] };

  const transitive = level.endsWith('_TRANSITIVE');
  const indexes = transitive
    ? previous.map((_, index) => index).reverse()
    : [previous.length - 1];
  const directions: Direction[] = level.startsWith('BACKWARD')
    ? ['BACKWARD']
    : level.startsWith('FORWARD')
      ? ['FORWARD']
      : ['BACKWARD', 'FORWARD'];

  const errors: CompatibilityError[] = [];
  let compatible = true;
  for (const direction of directions) {
    for (const previousIndex of indexes) {
      const earlier = previous[previousIndex] as ParsedSchema;
      const [reader, writer] =
        direction === 'BACKWARD' ? [newSchema, earlier] : [earlier, newSchema];
      const result = checkReaderWriter(reader.root, writer.root);
      compatible &&= result.compatible;
      for (const problem of result.incompatibilities) {
        errors.push(
          describeProblem(problem, {
            direction,
            previousIndex,
            reader,
            writer,
          }),
        );
      }
    }
  }
  return { compatible, level, errors: dedupe(errors) };
}

function describeProblem(
  problem: Incompatibility,
  context: {
    readonly direction: Direction;
    readonly previousIndex: number;
    readonly reader: ParsedSchema;
    readonly writer: ParsedSchema;
  },
): CompatibilityError {
  // Between two unions Java ends the location with the *writer* branch index;
  // point the reader side at its union instead.
  const readerTokens =
    problem.type === 'MISSING_UNION_BRANCH' &&
    problem.writerFragment.kind === 'union'
      ? problem.readerTokens.slice(0, -1)
      : problem.readerTokens;
  const inReader = locate(context.reader.root, readerTokens);
  const inWriter = locate(context.writer.root, problem.writerTokens);
  const { message, fix } = explain(problem, {
    direction: context.direction,
    fieldPath: inReader.fieldPath ?? inWriter.fieldPath,
  });
  return {
    rule: problem.type,
    path: problem.location,
    message,
    fix,
    direction: context.direction,
    previousIndex: context.previousIndex,
    field: inReader.fieldPath ?? inWriter.fieldPath,
    avroMessage: problem.message,
    readerJsonPath: inReader.jsonPath,
    writerJsonPath: inWriter.jsonPath,
  };
}

/** Java's memoisation can report one problem twice; the registry keeps a set. */
function dedupe(errors: CompatibilityError[]): CompatibilityError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = [
      error.direction,
      error.previousIndex,
      error.rule,
      error.path,
      error.avroMessage,
      jsonPointer(error.writerJsonPath),
    ].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
