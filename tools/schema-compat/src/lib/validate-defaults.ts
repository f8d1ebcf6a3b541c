import { SchemaInputError } from './errors';
import type {
  AvroNode,
  FieldNode,
  JsonPath,
  JsonValue,
  RecordNode,
} from './model';
import type { LenientFinding } from './warnings';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_LIMIT = 2 ** 63;

/**
 * Checks every field default as Avro 1.12 Java does (`Schema.isValidDefault`),
 * so that what the registry refuses is reported with its location, and
 * returns what Java accepts but the spec or avsc does not: an enum default
 * that is no symbol, a fixed default of the wrong length, a float/double
 * default written as a string, a union default matching a later branch.
 */
export function validateDefaults(root: AvroNode): LenientFinding[] {
  const findings: LenientFinding[] = [];
  const visited = new Set<AvroNode>();
  const visit = (node: AvroNode): void => {
    if (visited.has(node)) return;
    visited.add(node);
    switch (node.kind) {
      case 'record':
        node.fields.forEach((field) => {
          findings.push(...checkFieldDefault(field));
          visit(field.type);
        });
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
  return findings;
}

function checkFieldDefault(field: FieldNode): LenientFinding[] {
  if (!field.hasDefault || field.defaultValue === undefined) return [];
  const path: JsonPath = [...field.source, 'default'];
  const invalid = (problem: string): never => {
    throw new SchemaInputError(
      `default of field "${field.name}" is invalid: ${problem}`,
      undefined,
      { jsonPath: path },
    );
  };
  let value = field.defaultValue;
  const findings: LenientFinding[] = [];
  const type = field.type.kind;
  if ((type === 'float' || type === 'double') && typeof value === 'string') {
    // Java's parseField: Double.parseDouble on a string default of a float/double field.
    const parsed = parseJavaDouble(value);
    value =
      parsed === undefined
        ? invalid(`${JSON.stringify(value)} is not a ${type}`)
        : parsed;
    findings.push({
      jsonPath: path,
      what: `the default of field "${field.name}" is the string ${JSON.stringify(field.defaultValue)}`,
      spec: `a ${type} default is a JSON number`,
      avsc: 'default',
    });
  }
  const problem = javaDefaultProblem(field.type, value);
  if (problem !== undefined) invalid(problem);
  findings.push(...specFindings(field, field.type, value, path));
  return findings;
}

/** Java's `isValidDefault`: why Avro 1.12 rejects `value` for `node`, or undefined. */
function javaDefaultProblem(
  node: AvroNode,
  value: JsonValue | undefined,
): string | undefined {
  if (value === undefined) return 'a value is missing';
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
        typeof value === 'number' &&
          Number.isInteger(value) &&
          Math.abs(value) < LONG_LIMIT,
        'a long',
      );
    case 'float':
    case 'double':
      return expect(typeof value === 'number', `a ${node.kind}`);
    case 'bytes':
    case 'string':
    case 'enum':
    case 'fixed':
      // Java checks only that the value is a string: not the symbols, not the size.
      return expect(typeof value === 'string', `a ${node.kind} (JSON string)`);
    case 'array':
      if (!Array.isArray(value)) return expect(false, 'an array');
      return first(value, (item) => javaDefaultProblem(node.items, item));
    case 'map':
      if (!isObject(value)) return expect(false, 'a map (JSON object)');
      return first(Object.values(value), (item) =>
        javaDefaultProblem(node.values, item),
      );
    case 'union':
      return node.branches.some(
        (branch) => javaDefaultProblem(branch, value) === undefined,
      )
        ? undefined
        : expect(
            false,
            `any branch of [${node.branches.map((branch) => branch.kind).join(', ')}]`,
          );
    case 'record':
      if (!isObject(value))
        return `${JSON.stringify(value)} is not a record ${node.fullName} (JSON object)`;
      return first(node.fields, (field) => {
        const given = value[field.name];
        if (given !== undefined) return javaDefaultProblem(field.type, given);
        return field.hasDefault
          ? undefined
          : `field "${field.name}" of ${node.fullName} is missing`;
      });
  }
}

/**
 * Walks a default Java accepted and reports what the spec reads differently
 * (a union value belongs to the first branch that matches it).
 */
function specFindings(
  field: FieldNode,
  node: AvroNode,
  value: JsonValue,
  path: JsonPath,
  inProgress = new Set<RecordNode>(),
): LenientFinding[] {
  const subject = `the default of field "${field.name}"${path.length > field.source.length + 1 ? ` (at ${path.slice(field.source.length + 1).join('/')})` : ''}`;
  switch (node.kind) {
    case 'enum':
      return typeof value === 'string' && !node.symbols.includes(value)
        ? [
            {
              jsonPath: path,
              what: `${subject}, ${JSON.stringify(value)}, is not a symbol of enum ${node.fullName}`,
              spec: `an enum default is one of the enum's symbols (${node.symbols.join(', ')}), and a reader that falls back on this default fails`,
              avsc: 'default',
            },
          ]
        : [];
    case 'fixed': {
      const length = typeof value === 'string' ? value.length : node.size;
      return length !== node.size
        ? [
            {
              jsonPath: path,
              what: `${subject} has ${length} bytes, but fixed ${node.fullName} has size ${node.size}`,
              spec: `a fixed default is a string of exactly ${node.size} characters (one per byte)`,
              avsc: 'default',
            },
          ]
        : [];
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, index) =>
            specFindings(field, node.items, item, [...path, index], inProgress),
          )
        : [];
    case 'map':
      return isObject(value)
        ? Object.entries(value).flatMap(([key, item]) =>
            specFindings(field, node.values, item, [...path, key], inProgress),
          )
        : [];
    case 'union': {
      const index = node.branches.findIndex(
        (branch) => javaDefaultProblem(branch, value) === undefined,
      );
      const branch = node.branches[index];
      if (branch === undefined) return [];
      const later: LenientFinding[] =
        index > 0
          ? [
              {
                jsonPath: path,
                what: `${subject} matches branch ${index + 1} (${branch.kind}) of its union, not the first`,
                avsc: 'default',
              },
            ]
          : [];
      return [
        ...later,
        ...specFindings(field, branch, value, path, inProgress),
      ];
    }
    case 'record': {
      if (!isObject(value) || inProgress.has(node)) return [];
      inProgress.add(node);
      const findings = node.fields.flatMap((inner) => {
        const given = value[inner.name];
        return given === undefined
          ? []
          : specFindings(
              field,
              inner.type,
              given,
              [...path, inner.name],
              inProgress,
            );
      });
      inProgress.delete(node);
      return findings;
    }
    default:
      return [];
  }
}

/** Java's `Double.parseDouble` grammar (whitespace, sign, NaN, Infinity, decimal or hex, f/d suffix). */
export function parseJavaDouble(text: string): number | undefined {
  const trimmed = javaTrim(text);
  const match =
    /^([+-]?)(NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+)[fFdD]?$/.exec(
      trimmed,
    );
  if (match === null) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const body = match[2] as string;
  if (body === 'NaN') return Number.NaN;
  if (body === 'Infinity') return sign * Number.POSITIVE_INFINITY;
  if (/^0[xX]/.test(body)) return sign * parseHexFloat(body.slice(2));
  return sign * Number(body);
}

/** Java's String.trim: drops characters up to U+0020 at both ends. */
function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start += 1;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end -= 1;
  return text.slice(start, end);
}

function parseHexFloat(body: string): number {
  const [mantissa = '', exponent = '0'] = body.split(/[pP]/);
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = `${whole}${fraction}`;
  return (
    parseInt(digits === '' ? '0' : digits, 16) *
    2 ** (Number(exponent) - 4 * fraction.length)
  );
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function first<T>(
  items: readonly T[],
  check: (item: T) => string | undefined,
): string | undefined {
  for (const item of items) {
    const problem = check(item);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
