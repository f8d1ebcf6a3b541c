import { readFileSync } from 'node:fs';
import { Type, type Schema as AvscSchema } from 'avsc';
import { SchemaInputError } from './errors';
import type { AvroNode, JsonPath, JsonValue } from './model';
import { normaliseSchema } from './normalise';
import { parseJsonText, SourcePositions, type LineColumn } from './source-text';
import { validateDefaults } from './validate-defaults';
import {
  warningsFor,
  type LenientFinding,
  type SchemaWarning,
} from './warnings';

export interface SchemaSource {
  /** File name shown in messages. */
  readonly file?: string;
  /** The file's text, to map JSON paths to lines. */
  readonly text?: string;
}

/** A validated Avro schema, its normalised graph and where it came from. */
export class ParsedSchema {
  private positions: SourcePositions | undefined;

  constructor(
    readonly json: JsonValue,
    readonly root: AvroNode,
    readonly source: SchemaSource = {},
    /** What the registry accepts here but the Avro spec or avsc does not. */
    readonly warnings: readonly SchemaWarning[] = [],
  ) {}

  /** Line and column of a JSON path in the source text (its longest existing prefix). */
  positionOf(path: JsonPath): LineColumn | undefined {
    if (this.source.text === undefined) return undefined;
    this.positions ??= new SourcePositions(this.source.text);
    return this.positions.positionOf(path);
  }

  /** `file:line:column: warning: …` for each warning. */
  describeWarnings(): string[] {
    return this.warnings.map((warning) => {
      const at = this.positionOf(warning.jsonPath);
      const where = [this.source.file ?? '<schema>'];
      if (at !== undefined) where.push(String(at.line), String(at.column));
      return `${where.join(':')}: warning: ${warning.message}`;
    });
  }
}

/** A schema as the library accepts it: already parsed, or its JSON value. */
export type SchemaInput = ParsedSchema | JsonValue;

export function toParsedSchema(input: SchemaInput): ParsedSchema {
  return input instanceof ParsedSchema ? input : parseSchemaJson(input);
}

export function readSchemaFile(file: string): ParsedSchema {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SchemaInputError(
      `cannot read file: ${(error as Error).message}`,
      file,
    );
  }
  return parseSchemaText(text, file);
}

export function parseSchemaText(text: string, file?: string): ParsedSchema {
  return parseSchemaJson(parseJsonText(text, file), { file, text });
}

/**
 * Validates a schema as Avro 1.12 Java (the registry) does, with located
 * errors, and returns its normalised graph. What Java accepts but the spec or
 * avsc (the apps' runtime, which also loads the schema here) does not becomes
 * a located warning.
 */
export function parseSchemaJson(
  json: JsonValue,
  source: SchemaSource = {},
): ParsedSchema {
  let root: AvroNode;
  let findings: LenientFinding[];
  try {
    const normalised = normaliseSchema(json);
    root = normalised.root;
    findings = [...normalised.findings, ...validateDefaults(root)];
  } catch (error) {
    if (!(error instanceof SchemaInputError)) throw error;
    const path = error.location.jsonPath ?? [];
    const position =
      source.text === undefined
        ? undefined
        : new SourcePositions(source.text).positionOf(path);
    throw error.withSource(source.file, { jsonPath: path, ...position });
  }
  return new ParsedSchema(
    json,
    root,
    source,
    warningsFor(findings, avscRefusal(json)),
  );
}

function avscRefusal(json: JsonValue): string | undefined {
  try {
    Type.forSchema(json as unknown as AvscSchema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
