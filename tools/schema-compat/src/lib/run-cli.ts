import { SchemaInputError, UncheckableSchemaPairError } from './errors';
import { formatHuman, formatJson } from './format';
import { checkLevel } from './levels';
import {
  COMPATIBILITY_LEVELS,
  isCompatibilityLevel,
  type CompatibilityLevel,
} from './model';
import { readSchemaFile } from './schema';

export const EXIT_COMPATIBLE = 0;
export const EXIT_INCOMPATIBLE = 1;
export const EXIT_BAD_INPUT = 2;

export interface CliOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = `usage: schema:check --old <old.avsc> --new <new.avsc> --level <LEVEL> [--json]
  LEVEL: ${COMPATIBILITY_LEVELS.join(', ')}
  exit: 0 allowed, 1 not allowed, 2 bad input`;

interface CliOptions {
  readonly oldFile: string;
  readonly newFile: string;
  readonly level: CompatibilityLevel;
  readonly json: boolean;
}

class UsageError extends Error {}

/** Runs `schema:check` and returns its exit code. */
export function runCli(args: readonly string[], output: CliOutput): number {
  let options: CliOptions;
  try {
    const parsed = parseArgs(args);
    if (parsed === 'help') {
      output.stdout(`${USAGE}\n`);
      return EXIT_COMPATIBLE;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr(`schema:check: ${error.message}\n${USAGE}\n`);
    return EXIT_BAD_INPUT;
  }

  try {
    const oldSchema = readSchemaFile(options.oldFile);
    const newSchema = readSchemaFile(options.newFile);
    // What the registry accepts but the spec or avsc does not: said, never fatal.
    for (const warning of [
      ...oldSchema.describeWarnings(),
      ...newSchema.describeWarnings(),
    ])
      output.stderr(`schema:check: ${warning}\n`);
    // With two files there is one earlier version: transitive = non-transitive.
    const result = checkLevel({
      level: options.level,
      newSchema,
      previous: [oldSchema],
    });
    output.stdout(
      options.json
        ? `${formatJson(result)}\n`
        : formatHuman(result, { newSchema, previous: [oldSchema] }),
    );
    return result.compatible ? EXIT_COMPATIBLE : EXIT_INCOMPATIBLE;
  } catch (error) {
    if (
      error instanceof SchemaInputError ||
      error instanceof UncheckableSchemaPairError
    ) {
      output.stderr(`schema:check: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}

function parseArgs(args: readonly string[]): CliOptions | 'help' {
  const values = new Map<string, string>();
  let json = false;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') {
      json = true;
      continue;
    }
    const match = /^--(old|new|level)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new UsageError(`unknown argument "${arg}"`);
    const name = match[1] as string;
    const value = match[2] ?? args[(index += 1)];
    if (value === undefined || value === '')
      throw new UsageError(`--${name} needs a value`);
    if (values.has(name)) throw new UsageError(`--${name} given twice`);
    values.set(name, value);
  }
  const oldFile = values.get('old');
  const newFile = values.get('new');
  const level = values.get('level')?.toUpperCase();
  if (oldFile === undefined) throw new UsageError('--old is required');
  if (newFile === undefined) throw new UsageError('--new is required');
  if (level === undefined) throw new UsageError('--level is required');
  if (!isCompatibilityLevel(level))
    throw new UsageError(`unknown level "${values.get('level')}"`);
  return { oldFile, newFile, level, json };
}
