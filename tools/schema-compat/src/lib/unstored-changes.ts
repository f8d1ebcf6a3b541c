import { jsonEquals } from './java-equals';
import type { AvroNode, FieldNode, NamedNode } from './model';
import type { ParsedSchema } from './schema';

/**
 * What differs between two schemas whose canonical forms are equal, i.e.
 * what the registry leaves out of a version: docs, aliases, an enum's
 * default, `"default": null` on a nullable field, formatting. Empty when the
 * texts are the same.
 */
export function unstoredChanges(
  before: ParsedSchema,
  after: ParsedSchema,
): string[] {
  const changes: string[] = [];
  const visited = new Set<AvroNode>();
  const walk = (left: AvroNode, right: AvroNode, path: string): void => {
    if (left.kind !== right.kind || visited.has(right)) return;
    visited.add(right);
    if ('fullName' in left && 'fullName' in right)
      namedChanges(left, right, changes);
    if (left.kind === 'record' && right.kind === 'record') {
      right.fields.forEach((field, index) => {
        const old = left.fields[index];
        if (old === undefined) return;
        const name = path === '' ? field.name : `${path}.${field.name}`;
        changes.push(...fieldChanges(old, field, name));
        walk(old.type, field.type, name);
      });
    } else if (left.kind === 'array' && right.kind === 'array') {
      walk(left.items, right.items, `${path}[]`);
    } else if (left.kind === 'map' && right.kind === 'map') {
      walk(left.values, right.values, `${path}{}`);
    } else if (left.kind === 'union' && right.kind === 'union') {
      right.branches.forEach((branch, index) => {
        const old = left.branches[index];
        if (old !== undefined) walk(old, branch, path);
      });
    }
  };
  walk(before.root, after.root, '');
  const unique = [...new Set(changes)];
  if (unique.length > 0) return unique;
  const sameText =
    before.source.text !== undefined && after.source.text !== undefined
      ? before.source.text === after.source.text
      : jsonEquals(before.json, after.json);
  return sameText ? [] : [FORMATTING];
}

const FORMATTING =
  'formatting (whitespace, key order, `{"type": "string"}` for `"string"`, a namespace written out)';

function namedChanges(
  before: NamedNode,
  after: NamedNode,
  changes: string[],
): void {
  const what = `${after.kind} \`${after.fullName}\``;
  if (!sameSet(before.aliases, after.aliases))
    changes.push(`aliases of ${what}`);
  if (before.doc !== after.doc) changes.push(`doc of ${what}`);
  if (
    before.kind === 'enum' &&
    after.kind === 'enum' &&
    before.enumDefault !== after.enumDefault
  )
    changes.push(`the default of ${what}`);
}

function fieldChanges(
  before: FieldNode,
  after: FieldNode,
  name: string,
): string[] {
  const changes: string[] = [];
  if (!sameSet(before.aliases, after.aliases))
    changes.push(`aliases of field \`${name}\``);
  if (before.doc !== after.doc) changes.push(`doc of field \`${name}\``);
  if (
    before.hasDefault !== after.hasDefault ||
    !jsonEquals(before.defaultValue ?? null, after.defaultValue ?? null)
  ) {
    changes.push(
      before.hasDefault && after.hasDefault
        ? `the default of field \`${name}\``
        : `\`"default": null\` of field \`${name}\` (the registry counts a nullable field without a default as having it)`,
    );
  }
  return changes;
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  return (
    left.length === right.length && left.every((item) => right.includes(item))
  );
}
