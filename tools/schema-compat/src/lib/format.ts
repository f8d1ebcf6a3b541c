import type { CompatibilityError, LevelResult } from './levels';
import type { JsonPath } from './model';
import type { ParsedSchema } from './schema';

export interface ReportSources {
  readonly newSchema: ParsedSchema;
  /** Oldest first, as given to `checkLevel`. */
  readonly previous: readonly ParsedSchema[];
}

/** The `--json` form: exactly `{ compatible, level, errors: [{ rule, path, message, fix }] }`. */
export function formatJson(result: LevelResult): string {
  return JSON.stringify(
    {
      compatible: result.compatible,
      level: result.level,
      errors: result.errors.map(({ rule, path, message, fix }) => ({
        rule,
        path,
        message,
        fix,
      })),
    },
    null,
    2,
  );
}

/** The human form: one block per problem with file:line, field, rule, message and fix. */
export function formatHuman(
  result: LevelResult,
  sources: ReportSources,
): string {
  const newName = fileName(sources.newSchema, 'new schema');
  const against = sources.previous.map((schema, index) =>
    fileName(schema, `version ${index + 1}`),
  );
  const subject = `${newName} against ${against.length === 0 ? 'no earlier version' : against.join(', ')}`;
  if (result.compatible) {
    const how = result.level === 'NONE' ? ' (level NONE checks nothing)' : '';
    return `compatible: ${subject} under ${result.level}${how}\n`;
  }
  const count = result.errors.length;
  const lines = [
    `NOT compatible: ${subject} under ${result.level} (${count} problem${count === 1 ? '' : 's'})`,
  ];
  result.errors.forEach((error, index) => {
    lines.push('', ...formatError(error, index + 1, sources));
  });
  return `${lines.join('\n')}\n`;
}

function formatError(
  error: CompatibilityError,
  number: number,
  sources: ReportSources,
): string[] {
  const earlier = sources.previous[error.previousIndex];
  const [reader, writer] =
    error.direction === 'BACKWARD'
      ? [sources.newSchema, earlier]
      : [earlier, sources.newSchema];
  const readerName =
    reader === undefined ? 'reader' : fileName(reader, 'reader schema');
  const writerName =
    writer === undefined ? 'writer' : fileName(writer, 'writer schema');
  const field =
    error.field === undefined ? 'schema root' : `field \`${error.field}\``;
  const readerAt = `${position(reader, readerName, error.readerJsonPath)} (reader, ${error.path})`;
  const writerAt = `${position(writer, writerName, error.writerJsonPath)} (writer)`;
  const why =
    error.direction === 'BACKWARD'
      ? `${readerName} must read data written with ${writerName}`
      : `${readerName} (already deployed readers) must read data written with ${writerName}`;
  return [
    `${number}) ${error.rule} in ${field} [${error.direction}: ${why}]`,
    `   at ${readerAt}, data from ${writerAt}`,
    `   ${error.message}`,
    `   fix: ${error.fix}`,
    `   avro: ${error.avroMessage}`,
  ];
}

function position(
  schema: ParsedSchema | undefined,
  name: string,
  path: JsonPath,
): string {
  const at = schema?.positionOf(path);
  return at === undefined ? name : `${name}:${at.line}:${at.column}`;
}

function fileName(schema: ParsedSchema, fallback: string): string {
  return schema.source.file ?? fallback;
}
