import { readFileSync } from 'node:fs';
import { Type, type Schema as AvscSchema } from 'avsc';
import { SchemaInputError } from './errors';
import type { AvroNode, JsonPath, JsonValue } from './model';
import { normaliseSchema } from './normalise';
import { parseJsonText, SourcePositions, type LineColumn } from './source-text';
import { validateDefaults } from './validate-defaults';

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
  ) {}

  /** Line and column of a JSON path in the source text (its longest existing prefix). */
  positionOf(path: JsonPath): LineColumn | undefined {
    if (this.source.text === undefined) return undefined;
    this.positions ??= new SourcePositions(this.source.text);
    return this.positions.positionOf(path);
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
 * Validates a schema with our normaliser (located errors) and with avsc (the
 * runtime's own parser), and returns its normalised graph.
 */
export function parseSchemaJson(
  json: JsonValue,
  source: SchemaSource = {},
): ParsedSchema {
  const located = (error: unknown): never => {
    if (!(error instanceof SchemaInputError)) throw error;
    const path = error.location.jsonPath ?? [];
    const position =
      source.text === undefined
        ? undefined
        : new SourcePositions(source.text).positionOf(path);
    throw error.withSource(source.file, { jsonPath: path, ...position });
  };
  let root: AvroNode;
  try {
    root = normaliseSchema(json);
    validateDefaults(root);
  } catch (error) {
    return located(error);
  }
  try {
    Type.forSchema(json as unknown as AvscSchema);
  } catch (error) {
    located(
      new SchemaInputError(
        `invalid Avro schema (avsc): ${(error as Error).message}`,
        undefined,
        { jsonPath: [] },
      ),
    );
  }
  return new ParsedSchema(json, root, source);
}
