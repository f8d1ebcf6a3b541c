import { SchemaInputError } from './errors';
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
  type RecordNode,
  type UnionNode,
} from './model';

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIELD_ORDERS = ['ascending', 'descending', 'ignore'];

interface PendingReference {
  readonly fullName: string;
  readonly source: JsonPath;
  readonly assign: (node: AvroNode) => void;
}

/**
 * Turns schema JSON into a graph of {@link AvroNode}s the way Avro 1.12's Java
 * `Schema.Parser` resolves names: a named type inherits the namespace of the
 * nearest enclosing named type, a dotted name carries its own namespace, `""`
 * means the null namespace, and a reference `X` inside namespace `n` means
 * `n.X` if that is defined, else `X` (both looked up among types defined so
 * far), else `n.X` defined later. Invalid schemas throw {@link SchemaInputError}
 * with the JSON path of the problem.
 */
export function normaliseSchema(json: JsonValue): AvroNode {
  return new Normaliser().run(json);
}

class Normaliser {
  private readonly named = new Map<string, NamedNode>();
  private readonly pending: PendingReference[] = [];
  private readonly unions: UnionNode[] = [];

  run(json: JsonValue): AvroNode {
    let root: AvroNode | undefined;
    this.parse(json, [], null, (node) => {
      root = node;
    });
    for (const reference of this.pending) {
      const target = this.named.get(reference.fullName);
      if (target === undefined) {
        fail(`undefined name: ${reference.fullName}`, reference.source);
      }
      reference.assign(target);
    }
    for (const union of this.unions) validateUnion(union);
    if (root === undefined) fail('undefined schema', []);
    return root;
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
      assign({ kind: name, source: path });
      return;
    }
    const fullName =
      namespace !== null && !name.includes('.') ? `${namespace}.${name}` : name;
    const known = this.named.get(fullName) ?? this.named.get(name);
    if (known !== undefined) {
      assign(known);
    } else {
      this.pending.push({ fullName, source: path, assign });
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
        this.parseName(type, [...path, 'type'], namespace, assign);
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
      source: path,
    };
    const seen = new Set<string>();
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
    const order = json['order'];
    if (
      order !== undefined &&
      (typeof order !== 'string' || !FIELD_ORDERS.includes(order))
    ) {
      fail(`field "${name}" has an invalid "order"`, [...path, 'order']);
    }
    const hasDefault = 'default' in json;
    const field: FieldNode = {
      name,
      aliases: parseAliasList(json, path),
      type: { kind: 'null', source: [...path, 'type'] },
      hasDefault,
      ...(hasDefault ? { defaultValue: json['default'] } : {}),
      pos,
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
    const node: FixedNode = { kind: 'fixed', ...identity, size, source: path };
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
      items: { kind: 'null', source: path },
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
      values: { kind: 'null', source: path },
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
    const union: UnionNode = { kind: 'union', branches: [], source: path };
    json.forEach((branchJson, index) => {
      union.branches.push({ kind: 'null', source: [...path, index] });
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
    if (this.named.has(node.fullName))
      fail(`can't redefine ${node.fullName}`, [...path, 'name']);
    this.named.set(node.fullName, node);
  }
}

interface Identity {
  readonly name: string;
  readonly namespace: string | null;
  readonly fullName: string;
  readonly aliases: readonly string[];
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
  return { name, namespace, fullName: qualify(name, namespace), aliases };
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
  return typeof logicalType === 'string'
    ? { kind: type, logicalType, source: path }
    : { kind: type, source: path };
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
