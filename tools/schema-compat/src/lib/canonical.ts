import type {
  AvroNode,
  FieldNode,
  JsonValue,
  NamedNode,
  PrimitiveTypeName,
  Props,
} from './model';
import { PRIMITIVE_TYPES } from './model';
import { parseJavaDouble } from './validate-defaults';

/**
 * The canonical form Apicurio Registry 3.3 gives an Avro schema
 * (`EnhancedAvroContentCanonicalizer`: Avro 1.12's `Schema.toString()` of a
 * copy without docs, record/field/enum/fixed aliases and enum defaults, whose
 * field defaults went through `JacksonUtils.toObject` and back, and where a
 * field of a union starting with "null" gets `"default": null`). The registry
 * stores a new version only when this form differs from every stored one.
 * Undefined when Java's canonicaliser would throw: the registry then compares
 * the raw text.
 */
export function registryCanonicalForm(root: AvroNode): string | undefined {
  try {
    return new CanonicalWriter().node(root, null);
  } catch (error) {
    if (error instanceof Uncanonicalisable) return undefined;
    throw error;
  }
}

class Uncanonicalisable extends Error {}

/** A default as Java holds it after `JacksonUtils.toObject(json, schema)`. */
type JavaValue =
  | { readonly type: 'null' }
  | { readonly type: 'boolean'; readonly value: boolean }
  | {
      readonly type: 'int' | 'long' | 'float' | 'double';
      readonly value: number;
    }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'list'; readonly items: readonly JavaValue[] }
  | {
      readonly type: 'map';
      readonly entries: readonly (readonly [string, JavaValue])[];
    };

class CanonicalWriter {
  /** Java's `knownNames`: a named type is written in full once, then by name. */
  private readonly known = new Set<string>();

  node(node: AvroNode, space: string | null): string {
    switch (node.kind) {
      case 'record':
      case 'enum':
      case 'fixed':
        return this.named(node, space);
      case 'array':
        return object([
          ['type', text('array')],
          ['items', this.node(node.items, space)],
          ...props(node.props),
        ]);
      case 'map':
        return object([
          ['type', text('map')],
          ['values', this.node(node.values, space)],
          ...props(node.props),
        ]);
      case 'union':
        return `[${node.branches.map((branch) => this.node(branch, space)).join(',')}]`;
      default:
        return node.props.length === 0
          ? text(node.kind)
          : object([['type', text(node.kind)], ...props(node.props)]);
    }
  }

  private named(node: NamedNode, space: string | null): string {
    if (this.known.has(node.fullName)) return text(qualified(node, space));
    this.known.add(node.fullName);
    const head: Entry[] = [
      ['type', text(node.kind)],
      ['name', text(node.name)],
      ...namespaceEntry(node.namespace, space),
      ['doc', text('')],
    ];
    switch (node.kind) {
      case 'record':
        return object([
          ...head,
          [
            'fields',
            `[${node.fields.map((field) => this.field(field, node.namespace)).join(',')}]`,
          ],
          ...props(node.props),
        ]);
      case 'enum':
        return object([
          ...head,
          ['symbols', `[${node.symbols.map(text).join(',')}]`],
          ...props(node.props),
        ]);
      case 'fixed':
        return object([
          ...head,
          ['size', String(node.size)],
          ...props(node.props),
        ]);
    }
  }

  private field(field: FieldNode, space: string | null): string {
    const entries: Entry[] = [
      ['name', text(field.name)],
      ['type', this.node(field.type, space)],
      ['doc', text('')],
    ];
    const value = fieldDefault(field);
    if (value !== undefined) entries.push(['default', javaValue(value)]);
    if (field.order !== 'ascending') entries.push(['order', text(field.order)]);
    return object([...entries, ...props(field.props)]);
  }
}

type Entry = readonly [string, string];

/**
 * The default Java writes: the JSON value converted by the field's type (a
 * float/double default written as a string was parsed first), null for a
 * union starting with "null" that has none.
 */
function fieldDefault(field: FieldNode): JavaValue | undefined {
  let json: JsonValue | undefined = field.hasDefault
    ? field.defaultValue
    : undefined;
  if (
    typeof json === 'string' &&
    (field.type.kind === 'float' || field.type.kind === 'double')
  )
    json = parseJavaDouble(json);
  const value = json === undefined ? undefined : toObject(json, field.type);
  if (
    value === undefined &&
    field.type.kind === 'union' &&
    field.type.branches[0]?.kind === 'null'
  )
    return { type: 'null' };
  return value;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_LIMIT = 2 ** 63;

/** Avro 1.12 `JacksonUtils.toObject`: undefined where Java returns null. */
function toObject(json: JsonValue, node?: AvroNode): JavaValue | undefined {
  if (json === null) return { type: 'null' };
  if (node?.kind === 'union') {
    for (const branch of node.branches) {
      if (branch.kind === 'null') continue;
      const value = toObject(json, branch);
      if (value !== undefined) return value;
    }
    return undefined;
  }
  const kind = node?.kind;
  if (typeof json === 'boolean') return { type: 'boolean', value: json };
  if (typeof json === 'number') return numberObject(json, kind);
  if (typeof json === 'string') {
    if (kind === undefined || kind === 'string' || kind === 'enum')
      return { type: 'string', value: json };
    // bytes and fixed go through ISO-8859-1 bytes, which have no other characters.
    if (kind === 'bytes' || kind === 'fixed')
      return { type: 'string', value: latin1(json) };
    return undefined;
  }
  if (Array.isArray(json)) {
    if (node !== undefined && node.kind !== 'array')
      throw new Uncanonicalisable(`${node.kind} is not an array`);
    const items = node?.kind === 'array' ? node.items : undefined;
    return { type: 'list', items: json.map((item) => present(item, items)) };
  }
  return {
    type: 'map',
    entries: Object.entries(json).map(([key, item]) => {
      if (node?.kind === 'record') {
        const field = node.fields.find((candidate) => candidate.name === key);
        // Java: schema.getField(key).schema() on a missing field throws.
        if (field === undefined)
          throw new Uncanonicalisable(`${node.fullName} has no field ${key}`);
        return [key, present(item, field.type)];
      }
      return [
        key,
        present(item, node?.kind === 'map' ? node.values : undefined),
      ];
    }),
  };
}

/** Java's String.getBytes(ISO_8859_1) read back: every other character becomes '?'. */
function latin1(value: string): string {
  return [...value]
    .map((char) => ((char.codePointAt(0) ?? 0) > 0xff ? '?' : char))
    .join('');
}

/** Java writes a null element of a list or map by throwing. */
function present(json: JsonValue, node: AvroNode | undefined): JavaValue {
  const value = toObject(json, node);
  if (value === undefined)
    throw new Uncanonicalisable(`no value for ${JSON.stringify(json)}`);
  return value;
}

function numberObject(
  value: number,
  kind: AvroNode['kind'] | undefined,
): JavaValue | undefined {
  if (kind === 'float') return { type: 'float', value: Math.fround(value) };
  if (!Number.isInteger(value))
    return kind === undefined || kind === 'double'
      ? { type: 'double', value }
      : undefined;
  if (kind === 'double') return { type: 'double', value };
  // Beyond a long, JSON text like 1e300 is a double to Jackson.
  if (Math.abs(value) >= LONG_LIMIT)
    return kind === undefined ? { type: 'double', value } : undefined;
  const fitsInt = value >= INT_MIN && value <= INT_MAX;
  if (kind === undefined || kind === 'int' || kind === 'long')
    return { type: fitsInt && kind !== 'long' ? 'int' : 'long', value };
  return undefined;
}

function javaValue(value: JavaValue): string {
  switch (value.type) {
    case 'null':
      return 'null';
    case 'boolean':
    case 'int':
    case 'long':
      return String(value.value);
    case 'float':
      return javaFloat(value.value, 'float');
    case 'double':
      return javaFloat(value.value, 'double');
    case 'string':
      return text(value.value);
    case 'list':
      return `[${value.items.map(javaValue).join(',')}]`;
    case 'map':
      return object(
        value.entries.map(([key, item]) => [key, javaValue(item)] as const),
      );
  }
}

/** Properties go through `toObject` without a schema and back. */
function props(entries: Props): Entry[] {
  return entries.map(([key, value]) => {
    const converted = toObject(value);
    return [key, converted === undefined ? 'null' : javaValue(converted)];
  });
}

/** Java's `Name.writeName`: the namespace only when it differs from the enclosing one. */
function namespaceEntry(
  namespace: string | null,
  enclosing: string | null,
): Entry[] {
  if (namespace !== null)
    return namespace === enclosing ? [] : [['namespace', text(namespace)]];
  return enclosing === null ? [] : [['namespace', text('')]];
}

/** Java's `Name.getQualified`: the short name inside its own namespace, unless it is a primitive's. */
function qualified(node: NamedNode, space: string | null): string {
  if (
    node.namespace !== null &&
    node.namespace === space &&
    !(PRIMITIVE_TYPES as readonly string[]).includes(
      node.name as PrimitiveTypeName,
    )
  )
    return node.name;
  return node.fullName;
}

function object(entries: readonly Entry[]): string {
  return `{${entries.map(([key, value]) => `${text(key)}:${value}`).join(',')}}`;
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
};

/** A JSON string as Jackson writes it (other control characters as upper-case `\u00XX`). */
function text(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code < 0x20)
      out +=
        SHORT_ESCAPES[code] ??
        `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/**
 * Java's `Double.toString` / `Float.toString` (shortest digits that read back
 * as the same value; plain between 10^-3 and 10^7, else `d.dddE±n`), as
 * Jackson writes them. NaN and infinities are written as strings.
 */
export function javaFloat(value: number, type: 'float' | 'double'): string {
  if (Number.isNaN(value)) return '"NaN"';
  if (!Number.isFinite(value)) return value > 0 ? '"Infinity"' : '"-Infinity"';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  const scientific =
    type === 'double' ? magnitude.toExponential() : shortestFloat(magnitude);
  const [mantissa = '0', exponentText = '0'] = scientific.split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const sign = value < 0 ? '-' : '';
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}

function shortestFloat(value: number): string {
  for (let precision = 1; precision < 9; precision += 1) {
    const candidate = value.toExponential(precision - 1);
    if (Math.fround(Number(candidate)) === value) return candidate;
  }
  return value.toExponential(8);
}
