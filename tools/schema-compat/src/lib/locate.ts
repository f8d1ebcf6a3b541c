import type { AvroNode, FieldNode, JsonPath } from './model';

export interface Located {
  /** Where the location is in the source file (longest part that could be followed). */
  readonly jsonPath: JsonPath;
  /** Field names on the way, outermost first, e.g. `payload.items[].name`. */
  readonly fieldPath: string | undefined;
  /** The innermost field passed, if any. */
  readonly field: FieldNode | undefined;
}

/**
 * Follows a checker location (tokens of Java's JSON pointer, e.g.
 * `fields`,`3`,`type`) through the schema graph to a place in the source
 * file. Named references are followed to their definition. A numeric token
 * on a non-union node is skipped: Avro 1.12 pushes the *writer* union's branch
 * index there, which has no counterpart in the reader.
 */
export function locate(root: AvroNode, tokens: readonly string[]): Located {
  let node: AvroNode = root;
  let site: JsonPath = root.source;
  let field: FieldNode | undefined;
  let pendingField: FieldNode | undefined;
  const names: string[] = [];

  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] as string;
    if (pendingField !== undefined) {
      if (token !== 'type') break;
      node = pendingField.type;
      site = [...pendingField.source, 'type'];
      pendingField = undefined;
      continue;
    }
    if (token === 'fields' && node.kind === 'record') {
      const next = node.fields[Number(tokens[index + 1])];
      if (next === undefined) break;
      names.push(next.name);
      field = next;
      pendingField = next;
      site = next.source;
      index += 1;
    } else if (token === 'items' && node.kind === 'array') {
      site = [...node.source, 'items'];
      node = node.items;
      names.push('[]');
    } else if (token === 'values' && node.kind === 'map') {
      site = [...node.source, 'values'];
      node = node.values;
      names.push('{}');
    } else if (/^\d+$/.test(token)) {
      if (node.kind !== 'union') continue;
      const branch = node.branches[Number(token)];
      if (branch === undefined) break;
      site = [...node.source, Number(token)];
      node = branch;
    } else if (
      ['symbols', 'size', 'name'].includes(token) &&
      'fullName' in node
    ) {
      site = [...node.source, token];
      break;
    } else {
      break;
    }
  }
  return {
    jsonPath:
      pendingField !== undefined ? [...pendingField.source, 'name'] : site,
    fieldPath: names.length === 0 ? undefined : joinFieldNames(names),
    field,
  };
}

function joinFieldNames(names: readonly string[]): string {
  return names.reduce((path, name) => {
    if (name === '[]' || name === '{}') return `${path}${name}`;
    return path === '' ? name : `${path}.${name}`;
  }, '');
}
