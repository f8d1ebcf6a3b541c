import { SchemaInputError } from './errors';
import type { AvroNode, JsonPath, JsonValue, RecordNode } from './model';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * Checks every field default against its type, so a bad default is reported
 * with its location. Follows avsc (the runtime here), which is stricter than
 * Java in one way: a union default must match the union's first branch.
 */
export function validateDefaults(root: AvroNode): void {
  const visited = new Set<AvroNode>();
  const visit = (node: AvroNode): void => {
    if (visited.has(node)) return;
    visited.add(node);
    switch (node.kind) {
      case 'record':
        validateRecordDefaults(node);
        node.fields.forEach((field) => visit(field.type));
        return;
      case 'array':
        visit(node.items);
        return;
      case 'map':
        visit(node.values);
        return;
      case 'union':
        node.branches.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(root);
}

function validateRecordDefaults(record: RecordNode): void {
  for (const field of record.fields) {
    if (!field.hasDefault || field.defaultValue === undefined) continue;
    const problem = defaultProblem(field.type, field.defaultValue, new Set());
    if (problem !== undefined) {
      const path: JsonPath = [...field.source, 'default'];
      throw new SchemaInputError(
        `default of field "${field.name}" is invalid: ${problem}`,
        undefined,
        { jsonPath: path },
      );
    }
  }
}

/** Why `value` is not a valid default for `node`, or undefined when it is. */
function defaultProblem(
  node: AvroNode,
  value: JsonValue,
  inProgress: Set<RecordNode>,
): string | undefined {
  const expect = (ok: boolean, what: string): string | undefined =>
    ok ? undefined : `${JSON.stringify(value)} is not ${what}`;
  switch (node.kind) {
    case 'null':
      return expect(value === null, 'null');
    case 'boolean':
      return expect(typeof value === 'boolean', 'a boolean');
    case 'int':
      return expect(
        typeof value === 'number' &&
          Number.isInteger(value) &&
          value >= INT_MIN &&
          value <= INT_MAX,
        'an int',
      );
    case 'long':
      return expect(
        typeof value === 'number' && Number.isInteger(value),
        'a long',
      );
    case 'float':
    case 'double':
      return expect(typeof value === 'number', `a ${node.kind}`);
    case 'bytes':
    case 'string':
      return expect(typeof value === 'string', `a ${node.kind} (JSON string)`);
    case 'fixed':
      return expect(
        typeof value === 'string' && value.length === node.size,
        `a ${node.size}-byte fixed (JSON string of ${node.size} characters)`,
      );
    case 'enum':
      return expect(
        typeof value === 'string' && node.symbols.includes(value),
        `a symbol of enum ${node.fullName}`,
      );
    case 'array':
      if (!Array.isArray(value)) return expect(false, 'an array');
      return firstProblem(
        value.map((item) => () => defaultProblem(node.items, item, inProgress)),
      );
    case 'map':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return expect(false, 'a map (JSON object)');
      }
      return firstProblem(
        Object.values(value).map(
          (item) => () => defaultProblem(node.values, item, inProgress),
        ),
      );
    case 'record':
      return recordDefaultProblem(node, value, inProgress);
    case 'union': {
      const first = node.branches[0];
      if (first === undefined) return 'an empty union has no valid default';
      const problem = defaultProblem(first, value, inProgress);
      return problem === undefined
        ? undefined
        : `${problem} (a union default must match the union's first branch)`;
    }
  }
}

function recordDefaultProblem(
  record: RecordNode,
  value: JsonValue,
  inProgress: Set<RecordNode>,
): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `${JSON.stringify(value)} is not a record ${record.fullName} (JSON object)`;
  }
  if (inProgress.has(record)) return undefined;
  inProgress.add(record);
  try {
    return firstProblem(
      record.fields.map((field) => () => {
        const fieldValue = value[field.name];
        if (fieldValue === undefined) {
          return field.hasDefault
            ? undefined
            : `field "${field.name}" of ${record.fullName} is missing`;
        }
        return defaultProblem(field.type, fieldValue, inProgress);
      }),
    );
  } finally {
    inProgress.delete(record);
  }
}

function firstProblem(
  checks: (() => string | undefined)[],
): string | undefined {
  for (const check of checks) {
    const problem = check();
    if (problem !== undefined) return problem;
  }
  return undefined;
}
