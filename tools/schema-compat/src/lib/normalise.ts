import { SchemaInputError } from './errors';
import { javaSchemaEquals } from './java-equals';
import {
  PRIMITIVE_TYPES,
  isNamed,
  type AvroNode,
  type EnumNode,
  type FieldNode,
  type FixedNode,
  type JsonObject,
  type JsonPath,
  type JsonValue,
  type NamedNode,
  type PrimitiveNode,
  type PrimitiveTypeName,
  type Props,
  type RecordNode,
  type UnionNode,
} from './model';
import type { LenientFinding } from './warnings';

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELD_ORDERS = ['ascending', 'descending', 'ignore'] as const;

/** Java's reserved attributes (`Schema.SCHEMA_RESERVED`, `ENUM_RESERVED`, `FIELD_RESERVED`): the rest are properties. */
const SCHEMA_RESERVED = [
  'doc',
  'fields',
  'items',
  'name',
  'namespace',
  'size',
  'symbols',
  'values',
  'type',
  'aliases',
];
const ENUM_RESERVED = [...SCHEMA_RESERVED, 'default'];
const FIELD_RESERVED = ['default', 'doc', 'name', 'order', 'type', 'aliases'];

interface PendingReference {
  readonly name: string;
  readonly fullName: string;
  readonly source: JsonPath;
  /** A record referring to itself while it is being defined: recursion, not a forward reference. */
  readonly recursive: boolean;
  readonly assign: (node: AvroNode) => void;
}

interface Redefinition {
  readonly first: NamedNode;
  readonly second: NamedNode;
  readonly path: JsonPath;
}

/** The graph of a schema and what it does that only Java's leniency allows. */
export interface NormalisedSchema {
  readonly root: AvroNode;
  readonly findings: readonly LenientFinding[];
}

/**
 * Turns schema JSON into a graph of {@link AvroNode}s the way Avro 1.12's Java
 * `Schema.Parser` resolves names: a named type inherits the namespace of the
 * nearest enclosing named type, a dotted name carries its own namespace, `""`
 * means the null namespace, and a reference `X` inside namespace `n` means
 * `n.X` if that is defined, else `X` (both looked up among types defined so
 * far), else `n.X` defined later. A second definition of a name is allowed
 * when Java finds it equal. Invalid schemas throw {@link SchemaInputError}
 * with the JSON path of the problem; what Java accepts but the spec or avsc
 * may not comes back as findings.
 */
export function normaliseSchema(json: JsonValue): NormalisedSchema {
  return new Normaliser().run(json);
}

class Normaliser {
  private readonly named = new Map<string, NamedNode>();
  private readonly pending: PendingReference[] = [];
  private readonly unions: UnionNode[] = [];
  private readonly redefinitions: Redefinition[] = [];
  private readonly recordsInProgress = new Set<string>();
  private readonly findings: LenientFinding[] = [];

  run(json: JsonValue): NormalisedSchema {
    let root: AvroNode | undefined;
    this.parse(json, [], null, (node) => {
      root = node;
    });
    for (const reference of this.pending) {
      const target = this.named.get(reference.fullName);
      if (target === undefined) {
        fail(`undefined name: ${reference.fullName}`, reference.source);
      }
      if (!reference.recursive)
        this.findings.push({
          jsonPath: reference.source,
          what: `"${reference.name}" is used before its definition`,
          spec: 'a name must be defined before it is used',
          avsc: 'name',
        });
      reference.assign(target);
    }
    for (const union of this.unions) validateUnion(union);
    for (const { first, second, path } of this.redefinitions) {
      if (!javaSchemaEquals(first, second))
        fail(`can't redefine ${second.fullName}`, path);
      this.findings.push({
        jsonPath: path,
        what: `${second.kind} ${second.fullName} is defined a second time (Java finds both definitions equal)`,
        spec: 'a schema may not contain multiple definitions of a fullname; define it once and refer to it by name',
        avsc: 'duplicate',
      });
    }
    if (root === undefined) fail('undefined schema', []);
    return { root, findings: this.findings };
  }

  private parse(
    json: JsonValue,
    path: JsonPath,
    namespace: string | null,
    assign: (node: AvroNode) => void,
  ): void {
    if (typeof json === 'string') {
      this.parseName(json, path, namespace, assign);
    } else if (Array.isArray(json)) {
      assign(this.parseUnion(json, path, namespace));
    } else if (json !== null && typeof json === 'object') {
      this.parseObject(json, path, namespace, assign);
    } else {
      fail(`not a schema: ${JSON.stringify(json)}`, path);
    }
  }

  private parseName(
    name: string,
    path: JsonPath,
    namespace: string | null,
    assign: (node: AvroNode) => void,
  ): void {
    if (isPrimitiveName(name)) {
      assign({ kind: name, source: path, props: [] });
      return;
    }
    const fullName =
      namespace !== null && !name.includes('.') ? `${namespace}.${name}` : name;
    const qualified = this.named.get(fullName);
    const fallback = qualified === undefined ? this.named.get(name) : undefined;
    if (fallback !== undefined) {
      this.findings.push({
        jsonPath: path,
        what: `"${name}" inside namespace ${namespace} refers to ${name} in the null namespace (Java falls back to it because ${fullName} is not defined)`,
        spec: `a name without a dot takes the enclosing namespace, so it means ${fullName}, which is not defined; give ${name} a namespace so the reference means the same everywhere`,
        avsc: 'name',
      });
    }
    const known = qualified ?? fallback;
    if (known !== undefined) {
      assign(known);
    } else {
      this.pending.push({
        name,
        fullName,
        source: path,
        recursive: this.recordsInProgress.has(fullName),
        assign,
      });
    }
  }

  private parseObject(
    json: JsonObject,
    path: JsonPath,
    namespace: string | null,
    assign: (node: AvroNode) => void,
  ): void {
    const type = json['type'];
    if (typeof type !== 'string') {
      fail('missing or non-string "type"', [...path, 'type']);
    }
    if (isPrimitiveName(type)) {
      assign(primitiveWithProperties(type, json, path));
      return;
    }
    switch (type) {
      case 'record':
      case 'error':
        assign(this.parseRecord(json, path, namespace));
        return;
      case 'enum':
        assign(this.parseEnum(json, path, namespace));
        return;
      case 'fixed':
        assign(this.parseFixed(json, path, namespace));
        return;
      case 'array':
        assign(this.parseArray(json, path, namespace));
        return;
      case 'map':
        assign(this.parseMap(json, path, namespace));
        return;
      default:
        // Avro 1.12 Java: `{"type": "SomeNamedType"}` is no reference.
        fail(
          `"type" must be a primitive type or one of "enum", "fixed", "record", "error", "array", "map" (refer to a named type with a plain string, not {"type": ${JSON.stringify(type)}})`,
          [...path, 'type'],
        );
    }
  }

  private parseRecord(
    json: JsonObject,
    path: JsonPath,
    namespace: string | null,
  ): RecordNode {
    const identity = parseIdentity(json, path, namespace);
    const fieldsJson = json['fields'];
    if (!Array.isArray(fieldsJson)) fail('record has no "fields" array', path);
    const record: RecordNode = {
      kind: 'record',
      ...identity,
      fields: [],
      props: propsOf(json, SCHEMA_RESERVED),
      source: path,
    };
    const seen = new Set<string>();
    const outermost = !this.recordsInProgress.has(identity.fullName);
    this.recordsInProgress.add(identity.fullName);
    fieldsJson.forEach((fieldJson, pos) => {
      const fieldPath = [...path, 'fields', pos];
      const field = this.parseField(
        fieldJson,
        fieldPath,
        identity.namespace,
        pos,
      );
      if (seen.has(field.name))
        fail(`duplicate field "${field.name}"`, [...fieldPath, 'name']);
      seen.add(field.name);
      record.fields.push(field);
    });
    if (outermost) this.recordsInProgress.delete(identity.fullName);
    // Java registers a record after its fields, so a field cannot reach it by
    // its simple-name fallback; a self reference still resolves at the end.
    this.define(record, path);
    return record;
  }

  private parseField(
    json: JsonValue,
    path: JsonPath,
    namespace: string | null,
    pos: number,
  ): FieldNode {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      fail('a field must be an object', path);
    }
    const name = json['name'];
    if (typeof name !== 'string') fail('field has no "name"', path);
    requireValidName(name, [...path, 'name']);
    if (!('type' in json)) fail(`field "${name}" has no "type"`, path);
    // Java reads the order case-insensitively (Order.valueOf of the upper-cased text).
    const orderJson = json['order'] ?? 'ascending';
    const order = FIELD_ORDERS.find(
      (known) =>
        typeof orderJson === 'string' && known === orderJson.toLowerCase(),
    );
    if (order === undefined) {
      fail(`field "${name}" has an invalid "order"`, [...path, 'order']);
    }
    const hasDefault = 'default' in json;
    const doc = json['doc'];
    const field: FieldNode = {
      name,
      aliases: parseAliasList(json, path),
      type: { kind: 'null', source: [...path, 'type'], props: [] },
      hasDefault,
      ...(hasDefault ? { defaultValue: json['default'] } : {}),
      pos,
      order,
      ...(typeof doc === 'string' ? { doc } : {}),
      props: propsOf(json, FIELD_RESERVED),
      source: path,
    };
    this.parse(
      json['type'] as JsonValue,
      [...path, 'type'],
      namespace,
      (node) => {
        field.type = node;
      },
    );
    return field;
  }

  private parseEnum(
    json: JsonObject,
    path: JsonPath,
    namespace: string | null,
  ): EnumNode {
    const identity = parseIdentity(json, path, namespace);
    const symbolsJson = json['symbols'];
    if (!Array.isArray(symbolsJson)) fail('enum has no "symbols" array', path);
    const symbols: string[] = [];
    symbolsJson.forEach((symbol, index) => {
      const symbolPath = [...path, 'symbols', index];
      if (typeof symbol !== 'string')
        fail('enum symbol is not a string', symbolPath);
      requireValidName(symbol, symbolPath);
      if (symbols.includes(symbol))
        fail(`duplicate enum symbol "${symbol}"`, symbolPath);
      symbols.push(symbol);
    });
    const enumDefault = json['default'];
    if (enumDefault !== undefined) {
      if (typeof enumDefault !== 'string' || !symbols.includes(enumDefault)) {
        fail(
          `enum default ${JSON.stringify(enumDefault)} is not one of its symbols`,
          [...path, 'default'],
        );
      }
    }
    const node: EnumNode = {
      kind: 'enum',
      ...identity,
      symbols,
      enumDefault: enumDefault ?? null,
      props: propsOf(json, ENUM_RESERVED),
      source: path,
    };
    this.define(node, path);
    return node;
  }

  private parseFixed(
    json: JsonObject,
    path: JsonPath,
    namespace: string | null,
  ): FixedNode {
    const identity = parseIdentity(json, path, namespace);
    const size = json['size'];
    if (
      typeof size !== 'number' ||
      !Number.isInteger(size) ||
      size < 0 ||
      size > 2 ** 31 - 1
    ) {
      fail('fixed has no valid "size"', [...path, 'size']);
    }
    const node: FixedNode = {
      kind: 'fixed',
      ...identity,
      size,
      props: propsOf(json, SCHEMA_RESERVED),
      source: path,
    };
    this.define(node, path);
    return node;
  }

  private parseArray(
    json: JsonObject,
    path: JsonPath,
    namespace: string | null,
  ): AvroNode {
    if (!('items' in json)) fail('array has no "items"', path);
    const node: AvroNode = {
      kind: 'array',
      items: { kind: 'null', source: path, props: [] },
      props: propsOf(json, SCHEMA_RESERVED),
      source: path,
    };
    this.parse(
      json['items'] as JsonValue,
      [...path, 'items'],
      namespace,
      (items) => {
        node.items = items;
      },
    );
    return node;
  }

  private parseMap(
    json: JsonObject,
    path: JsonPath,
    namespace: string | null,
  ): AvroNode {
    if (!('values' in json)) fail('map has no "values"', path);
    const node: AvroNode = {
      kind: 'map',
      values: { kind: 'null', source: path, props: [] },
      props: propsOf(json, SCHEMA_RESERVED),
      source: path,
    };
    this.parse(
      json['values'] as JsonValue,
      [...path, 'values'],
      namespace,
      (values) => {
        node.values = values;
      },
    );
    return node;
  }

  private parseUnion(
    json: JsonValue[],
    path: JsonPath,
    namespace: string | null,
  ): UnionNode {
    const union: UnionNode = {
      kind: 'union',
      branches: [],
      props: [],
      source: path,
    };
    json.forEach((branchJson, index) => {
      union.branches.push({
        kind: 'null',
        source: [...path, index],
        props: [],
      });
      this.parse(branchJson, [...path, index], namespace, (branch) => {
        union.branches[index] = branch;
      });
    });
    this.unions.push(union);
    return union;
  }

  private define(node: NamedNode, path: JsonPath): void {
    if (isPrimitiveName(node.fullName)) {
      fail(`a named type may not be called "${node.fullName}"`, [
        ...path,
        'name',
      ]);
    }
    const first = this.named.get(node.fullName);
    if (first === undefined) {
      this.named.set(node.fullName, node);
    } else {
      // Java compares once every reference is resolved; later lookups find the first.
      this.redefinitions.push({
        first,
        second: node,
        path: [...path, 'name'],
      });
    }
  }
}

interface Identity {
  readonly name: string;
  readonly namespace: string | null;
  readonly fullName: string;
  readonly aliases: readonly string[];
  readonly doc?: string;
}

function parseIdentity(
  json: JsonObject,
  path: JsonPath,
  enclosing: string | null,
): Identity {
  const rawName = json['name'];
  if (typeof rawName !== 'string') fail('named type has no "name"', path);
  const rawNamespace = json['namespace'];
  if (rawNamespace !== undefined && typeof rawNamespace !== 'string') {
    fail('"namespace" is not a string', [...path, 'namespace']);
  }
  const { name, namespace } = splitName(rawName, rawNamespace ?? enclosing, [
    ...path,
    'name',
  ]);
  if (namespace !== null) {
    namespace
      .split('.')
      .forEach((part) => requireValidName(part, [...path, 'namespace']));
  }
  const aliases = parseAliasList(json, path).map((alias) => {
    const aliasName = splitName(alias, namespace, [...path, 'aliases']);
    // Java's NamedSchema.getAliases(): an alias explicitly in the null
    // namespace of a namespaced type is reported with a leading dot.
    return aliasName.namespace === null && namespace !== null
      ? `.${aliasName.name}`
      : qualify(aliasName.name, aliasName.namespace);
  });
  const doc = json['doc'];
  return {
    name,
    namespace,
    fullName: qualify(name, namespace),
    aliases,
    ...(typeof doc === 'string' ? { doc } : {}),
  };
}

/** Java's `Schema.Name`: a dotted name carries its namespace; "" is the null namespace. */
function splitName(
  raw: string,
  space: string | null,
  path: JsonPath,
): { name: string; namespace: string | null } {
  const lastDot = raw.lastIndexOf('.');
  const name = lastDot < 0 ? raw : raw.slice(lastDot + 1);
  const namespace = lastDot < 0 ? space : raw.slice(0, lastDot);
  requireValidName(name, path);
  return { name, namespace: namespace === '' ? null : namespace };
}

function qualify(name: string, namespace: string | null): string {
  return namespace === null ? name : `${namespace}.${name}`;
}

function parseAliasList(json: JsonObject, path: JsonPath): string[] {
  const aliases = json['aliases'];
  if (aliases === undefined) return [];
  if (!Array.isArray(aliases))
    fail('"aliases" is not an array', [...path, 'aliases']);
  return aliases.map((alias, index) => {
    if (typeof alias !== 'string')
      fail('alias is not a string', [...path, 'aliases', index]);
    return alias;
  });
}

function primitiveWithProperties(
  type: PrimitiveTypeName,
  json: JsonObject,
  path: JsonPath,
): PrimitiveNode {
  const logicalType = json['logicalType'];
  const props = propsOf(json, SCHEMA_RESERVED);
  return typeof logicalType === 'string'
    ? { kind: type, logicalType, props, source: path }
    : { kind: type, props, source: path };
}

function propsOf(json: JsonObject, reserved: readonly string[]): Props {
  return Object.entries(json).filter(([key]) => !reserved.includes(key));
}

function validateUnion(union: UnionNode): void {
  const seen = new Set<string>();
  union.branches.forEach((branch, index) => {
    const path = [...union.source, index];
    if (branch.kind === 'union')
      fail('unions may not immediately contain other unions', path);
    const key = isNamed(branch) ? branch.fullName : branch.kind;
    if (seen.has(key)) fail(`duplicate in union: ${key}`, path);
    seen.add(key);
  });
}

function requireValidName(name: string, path: JsonPath): void {
  if (!NAME_PATTERN.test(name))
    fail(`invalid name ${JSON.stringify(name)}`, path);
}

function isPrimitiveName(name: string): name is PrimitiveTypeName {
  return (PRIMITIVE_TYPES as readonly string[]).includes(name);
}

function fail(reason: string, path: JsonPath): never {
  throw new SchemaInputError(reason, undefined, { jsonPath: path });
}
