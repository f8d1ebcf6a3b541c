import { registryCanonicalForm } from './canonical';
import type { ParsedSchema } from './schema';

/** A version the registry keeps: the first schema of a history with its canonical form. */
export interface StoredVersion {
  /** The registry's version number, from 1. */
  readonly version: number;
  /** Index into the history of the schema the registry stored (its content is what it checks against). */
  readonly historyIndex: number;
  readonly schema: ParsedSchema;
}

export interface ModelledHistory {
  /** Oldest first. */
  readonly stored: readonly StoredVersion[];
  /** For each schema of the history: the registry version it is (new or existing). */
  readonly versionOf: readonly number[];
}

/**
 * Which schemas of a history (oldest first, each registered in turn) the
 * registry keeps as versions: a schema whose canonical form equals a stored
 * version's (a change to docs, aliases, an enum default, `"default": null` on
 * a nullable field, formatting, or a revert) is found by the registry's
 * lookup and adds none. Assumes every registration succeeded.
 */
export function modelStoredHistory(
  history: readonly ParsedSchema[],
): ModelledHistory {
  const stored: StoredVersion[] = [];
  const byKey = new Map<string, number>();
  const versionOf = history.map((schema, historyIndex) => {
    const key = registryKey(schema);
    const known = byKey.get(key);
    if (known !== undefined) return known;
    const version = stored.length + 1;
    stored.push({ version, historyIndex, schema });
    byKey.set(key, version);
    return version;
  });
  return { stored, versionOf };
}

/** The stored version the registry's lookup finds for a schema, if any. */
export function storedVersionOf(
  schema: ParsedSchema,
  stored: readonly StoredVersion[],
): StoredVersion | undefined {
  const key = registryKey(schema);
  return stored.find((version) => registryKey(version.schema) === key);
}

const keys = new WeakMap<ParsedSchema, string>();

/**
 * What the registry compares: the canonical form, or the text itself where
 * its canonicaliser fails (it then hashes the raw content).
 */
export function registryKey(schema: ParsedSchema): string {
  let key = keys.get(schema);
  if (key === undefined) {
    const canonical = registryCanonicalForm(schema.root);
    key =
      canonical === undefined
        ? `raw:${JSON.stringify(schema.json)}`
        : `canonical:${canonical}`;
    keys.set(schema, key);
  }
  return key;
}
