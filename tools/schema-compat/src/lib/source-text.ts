import {
  findNodeAtLocation,
  parse,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import type { Node as JsonTreeNode, ParseError } from 'jsonc-parser';
import { SchemaInputError } from './errors';
import type { JsonPath, JsonValue } from './model';

export interface LineColumn {
  /** 1-based */
  readonly line: number;
  /** 1-based */
  readonly column: number;
}

const STRICT_JSON = {
  disallowComments: true,
  allowTrailingComma: false,
  allowEmptyContent: false,
} as const;

/** Parses strict JSON, naming the line and column of the first syntax error. */
export function parseJsonText(text: string, file?: string): JsonValue {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, STRICT_JSON);
  const first = errors[0];
  if (first !== undefined) {
    throw new SchemaInputError(
      `invalid JSON: ${printParseErrorCode(first.error)}`,
      file,
      offsetToLineColumn(text, first.offset),
    );
  }
  // jsonc-parser is lenient about a few things JSON.parse rejects (e.g. some
  // control characters); the registry parses with a strict parser.
  try {
    JSON.parse(text);
  } catch (error) {
    throw new SchemaInputError(
      `invalid JSON: ${(error as Error).message}`,
      file,
      {},
    );
  }
  return value as JsonValue;
}

export function offsetToLineColumn(text: string, offset: number): LineColumn {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    if (text.charCodeAt(index) === 10) {
      line += 1;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Maps JSON paths of one document to lines and columns. A path that does not
 * exist maps to its longest existing prefix.
 */
export class SourcePositions {
  private readonly tree: JsonTreeNode | undefined;

  constructor(private readonly text: string) {
    this.tree = parseTree(text, [], STRICT_JSON);
  }

  positionOf(path: JsonPath): LineColumn | undefined {
    if (this.tree === undefined) return undefined;
    for (let length = path.length; length >= 0; length -= 1) {
      const node = findNodeAtLocation(this.tree, [...path.slice(0, length)]);
      if (node !== undefined) return offsetToLineColumn(this.text, node.offset);
    }
    return undefined;
  }
}
