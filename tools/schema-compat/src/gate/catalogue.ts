import { SchemaInputError } from '../lib/errors';
import {
  isCompatibilityLevel,
  type CompatibilityLevel,
  type JsonPath,
  type JsonValue,
} from '../lib/model';
import { parseJsonText, SourcePositions } from '../lib/source-text';

/** What the gate needs from one `messages[]` entry of `schemas/catalogue.json`. */
export interface CatalogueMessage {
  readonly name: string;
  /** File name inside the schemas folder. */
  readonly file: string;
  readonly topic: string;
  readonly subject: string;
  /** The subject's level; BACKWARD when the entry gives none. */
  readonly level: CompatibilityLevel;
  /** `file:line` of the entry, and of its `compatibility` when given. */
  readonly at: string;
  readonly levelAt: string;
}

export interface Catalogue {
  readonly messages: readonly CatalogueMessage[];
  readonly bySubject: ReadonlyMap<string, CatalogueMessage>;
}

const DEFAULT_LEVEL: CompatibilityLevel = 'BACKWARD';

/**
 * Reads the fields the gate uses and rejects, with file and line, what would
 * make its answer meaningless. The contracts generator validates the rest.
 */
export function parseCatalogue(text: string, file: string): Catalogue {
  const json = parseJsonText(text, file);
  const positions = new SourcePositions(text);
  const at = (path: JsonPath): string => {
    const position = positions.positionOf(path);
    return position === undefined ? file : `${file}:${position.line}`;
  };
  const fail = (path: JsonPath, reason: string): never => {
    const position = positions.positionOf(path);
    throw new SchemaInputError(reason, file, { jsonPath: path, ...position });
  };

  const messagesJson = isObject(json) ? json['messages'] : undefined;
  if (!Array.isArray(messagesJson))
    return fail([], 'expected an object with a "messages" array');

  const messages: CatalogueMessage[] = [];
  const bySubject = new Map<string, CatalogueMessage>();
  messagesJson.forEach((entry, index) => {
    const path = ['messages', index];
    if (!isObject(entry)) return fail(path, 'expected a message object');
    const field = (key: string): string => {
      const value = entry[key];
      if (typeof value !== 'string' || value === '')
        return fail([...path, key], `"${key}" must be a non-empty string`);
      return value;
    };
    const name = field('name');
    const file = field('file');
    if (!/^[^/\\]+\.avsc$/.test(file) || file.startsWith('.'))
      fail([...path, 'file'], `"${file}" is not an .avsc file name`);
    const topic = field('topic');
    const subject = field('subject');
    const levelJson = entry['compatibility'];
    let level = DEFAULT_LEVEL;
    if (levelJson !== undefined) {
      if (typeof levelJson !== 'string' || !isCompatibilityLevel(levelJson))
        fail(
          [...path, 'compatibility'],
          `unknown compatibility level ${JSON.stringify(levelJson)}`,
        );
      level = levelJson as CompatibilityLevel;
    }
    if (bySubject.has(subject))
      fail([...path, 'subject'], `subject "${subject}" is listed twice`);
    const message: CatalogueMessage = {
      name,
      file,
      topic,
      subject,
      level,
      at: at(path),
      levelAt: at(levelJson === undefined ? path : [...path, 'compatibility']),
    };
    messages.push(message);
    bySubject.set(subject, message);
  });
  return { messages, bySubject };
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
