import type {
  DefaultValue,
  EnumDecl,
  FieldModel,
  NamedDecl,
  RecordDecl,
  SchemaModel,
  TsType,
} from './model';
import { jsonPath, type Problem } from './problems';

type Path = readonly PropertyKey[];

const PRIMITIVES: Readonly<Record<string, TsType>> = {
  null: { kind: 'primitive', ts: 'null' },
  boolean: { kind: 'primitive', ts: 'boolean' },
  int: { kind: 'primitive', ts: 'number' },
  long: { kind: 'primitive', ts: 'number' },
  float: { kind: 'primitive', ts: 'number' },
  double: { kind: 'primitive', ts: 'number' },
  bytes: { kind: 'primitive', ts: 'Buffer' },
  string: { kind: 'primitive', ts: 'string' },
};

const DATE: TsType = { kind: 'primitive', ts: 'Date' };
const BUFFER: TsType = { kind: 'primitive', ts: 'Buffer' };

const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Members of generated classes: a field with one of these names would shadow them.
 * `__proto__` would not even become a field.
 */
const RESERVED_FIELD_NAMES = new Set([
  'contract',
  'validate',
  'toAvro',
  'kafkaKey',
  '__reply',
  'constructor',
  '__proto__',
]);

/**
 * The JavaScript "bucket" avsc uses to pick the branch of an unwrapped union. Two branches in one
 * bucket make the union ambiguous. A Date is an object, so it shares a bucket with records and maps
 * (avsc would otherwise fail at run time with "ambiguous conversion").
 */
function bucketOf(type: TsType): string {
  switch (type.kind) {
    case 'primitive':
      return type.ts === 'Date' ? 'object' : type.ts;
    case 'named':
      return type.declKind === 'enum' ? 'string' : 'object';
    case 'array':
      return 'array';
    case 'map':
      return 'object';
    case 'union':
      return 'union';
  }
}

/** How a union branch is named in messages: as the schema spells it. */
function avroLabel(node: unknown): string {
  if (typeof node === 'string') {
    return node;
  }
  if (isObject(node)) {
    const type = String(node['type']);
    if (typeof node['logicalType'] === 'string') {
      return `${type} (${node['logicalType']})`;
    }
    return typeof node['name'] === 'string' ? `${type} ${node['name']}` : type;
  }
  return 'union';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Writes a default as a TypeScript literal only when the JSON value is also the runtime value. */
function isLiteralSafe(type: TsType): boolean {
  switch (type.kind) {
    case 'primitive':
      return type.ts !== 'Buffer' && type.ts !== 'Date';
    case 'named':
      return type.declKind === 'enum';
    case 'array':
      return isLiteralSafe(type.items);
    case 'map':
      return isLiteralSafe(type.values);
    case 'union':
      return false;
  }
}

/** Turns one parsed .avsc file into a model, collecting every problem with its JSON path. */
export function walkSchema(
  file: string,
  definition: unknown,
): {
  readonly model?: SchemaModel;
  readonly problems: readonly Problem[];
} {
  const walker = new SchemaWalker(file);
  const record = walker.walkTopLevel(definition);
  if (record === undefined || walker.problems.length > 0) {
    return { problems: walker.problems };
  }
  return {
    model: {
      file,
      record,
      named: walker.definitions.filter((decl) => decl !== record),
      definition,
    },
    problems: [],
  };
}

class SchemaWalker {
  readonly problems: Problem[] = [];
  readonly definitions: NamedDecl[] = [];
  private readonly byFullName = new Map<string, NamedDecl>();
  private topLevelFullName: string | undefined;

  constructor(private readonly file: string) {}

  walkTopLevel(node: unknown): RecordDecl | undefined {
    if (!isObject(node) || node['type'] !== 'record') {
      this.report([], 'the top-level schema must be a record (the message)');
      return undefined;
    }
    const name = this.defineName(node, [], '');
    if (name === undefined) {
      return undefined;
    }
    this.topLevelFullName = name.fullName;
    const record = this.walkRecord(node, [], name);
    const fieldNodes = node['fields'];
    if (Array.isArray(fieldNodes) && fieldNodes.length === 0) {
      this.report(['fields'], 'a message record needs at least one field');
    }
    return record;
  }

  private report(path: Path, message: string): void {
    this.problems.push({ file: this.file, path: jsonPath(path), message });
  }

  private walkType(
    node: unknown,
    path: Path,
    namespace: string,
  ): TsType | undefined {
    if (typeof node === 'string') {
      return this.walkReference(node, path, namespace);
    }
    if (Array.isArray(node)) {
      return this.walkUnion(node, path, namespace);
    }
    if (!isObject(node)) {
      this.report(
        path,
        'expected a type: a name, a union array or a type object',
      );
      return undefined;
    }
    const type = node['type'];
    if (typeof type !== 'string') {
      this.report(
        [...path, 'type'],
        'unsupported: the "type" of a type object must be a string (wrap unions and nested types in a field instead)',
      );
      return undefined;
    }
    const logicalType = node['logicalType'];
    if (type in PRIMITIVES) {
      if (logicalType === 'timestamp-millis') {
        if (type !== 'long') {
          this.report(
            [...path, 'logicalType'],
            `unsupported: timestamp-millis must annotate a long, not ${type}`,
          );
          return undefined;
        }
        return DATE;
      }
      // The Avro spec says readers ignore logical types they do not know: use the underlying type.
      return PRIMITIVES[type];
    }
    switch (type) {
      case 'record': {
        const name = this.defineName(node, path, namespace);
        const record = name && this.walkRecord(node, path, name);
        return (
          record && {
            kind: 'named',
            fullName: record.fullName,
            declKind: 'record',
          }
        );
      }
      case 'enum': {
        const name = this.defineName(node, path, namespace);
        const decl = name && this.walkEnum(node, path, name);
        return (
          decl && { kind: 'named', fullName: decl.fullName, declKind: 'enum' }
        );
      }
      case 'fixed': {
        const name = this.defineName(node, path, namespace);
        if (name === undefined) {
          return undefined;
        }
        const size = node['size'];
        if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
          this.report(
            [...path, 'size'],
            'fixed size must be a non-negative integer',
          );
          return undefined;
        }
        this.register({
          kind: 'fixed',
          name: name.name,
          fullName: name.fullName,
          size,
        });
        return BUFFER;
      }
      case 'array': {
        const items = this.walkType(
          node['items'],
          [...path, 'items'],
          namespace,
        );
        return items && { kind: 'array', items };
      }
      case 'map': {
        const values = this.walkType(
          node['values'],
          [...path, 'values'],
          namespace,
        );
        return values && { kind: 'map', values };
      }
      case 'error':
        this.report(
          [...path, 'type'],
          'unsupported: error types belong to Avro protocols, use a record',
        );
        return undefined;
      default:
        // {"type": "SomeName"}: a reference written as an object.
        return this.walkReference(type, [...path, 'type'], namespace);
    }
  }

  private walkReference(
    name: string,
    path: Path,
    namespace: string,
  ): TsType | undefined {
    const primitive = PRIMITIVES[name];
    if (primitive !== undefined) {
      return primitive;
    }
    const candidates = name.includes('.')
      ? [name]
      : [namespace ? `${namespace}.${name}` : name, name];
    const decl = candidates
      .map((candidate) => this.byFullName.get(candidate))
      .find((found) => found !== undefined);
    if (decl === undefined) {
      this.report(
        path,
        `unknown type name "${name}": define it before use in this file (each .avsc is registered on its own, so it cannot use names from other files)`,
      );
      return undefined;
    }
    if (decl.kind === 'fixed') {
      return BUFFER;
    }
    return { kind: 'named', fullName: decl.fullName, declKind: decl.kind };
  }

  private walkUnion(
    node: readonly unknown[],
    path: Path,
    namespace: string,
  ): TsType | undefined {
    if (node.length === 0) {
      this.report(path, 'a union needs at least one branch');
      return undefined;
    }
    const branches: TsType[] = [];
    const buckets = new Map<string, string>();
    let ok = true;
    node.forEach((branchNode, index) => {
      const branchPath = [...path, index];
      const branch = this.walkType(branchNode, branchPath, namespace);
      if (branch === undefined) {
        ok = false;
        return;
      }
      if (branch.kind === 'union') {
        this.report(
          branchPath,
          'a union cannot directly contain another union',
        );
        ok = false;
        return;
      }
      const bucket = bucketOf(branch);
      const clash = buckets.get(bucket);
      if (clash !== undefined) {
        this.report(
          branchPath,
          `unsupported union: branches ${clash} and ${avroLabel(branchNode)} are both ${bucket} in JavaScript, so an unwrapped union cannot tell them apart; keep one, or move one into its own field`,
        );
        ok = false;
        return;
      }
      buckets.set(bucket, avroLabel(branchNode));
      branches.push(branch);
    });
    return ok ? { kind: 'union', branches } : undefined;
  }

  private defineName(
    node: Record<string, unknown>,
    path: Path,
    namespace: string,
  ):
    | {
        readonly name: string;
        readonly fullName: string;
        readonly namespace: string;
      }
    | undefined {
    const rawName = node['name'];
    if (typeof rawName !== 'string') {
      this.report([...path, 'name'], 'a named type needs a "name"');
      return undefined;
    }
    const explicitNamespace = optionalString(node['namespace']);
    const fullName = rawName.includes('.')
      ? rawName
      : [explicitNamespace ?? namespace, rawName]
          .filter((part) => part)
          .join('.');
    const parts = fullName.split('.');
    const name = parts[parts.length - 1];
    if (!parts.every((part) => AVRO_NAME.test(part))) {
      this.report([...path, 'name'], `invalid Avro name "${fullName}"`);
      return undefined;
    }
    if (this.byFullName.has(fullName)) {
      this.report(
        [...path, 'name'],
        `${fullName} is defined twice in this file`,
      );
      return undefined;
    }
    return { name, fullName, namespace: parts.slice(0, -1).join('.') };
  }

  private register(decl: NamedDecl): void {
    this.byFullName.set(decl.fullName, decl);
    this.definitions.push(decl);
  }

  private walkEnum(
    node: Record<string, unknown>,
    path: Path,
    name: { readonly name: string; readonly fullName: string },
  ): EnumDecl | undefined {
    const symbols = node['symbols'];
    if (
      !Array.isArray(symbols) ||
      !symbols.every(
        (s): s is string => typeof s === 'string' && AVRO_NAME.test(s),
      )
    ) {
      this.report(
        [...path, 'symbols'],
        'enum symbols must be an array of Avro names',
      );
      return undefined;
    }
    const defaultSymbol = node['default'];
    if (
      defaultSymbol !== undefined &&
      (typeof defaultSymbol !== 'string' || !symbols.includes(defaultSymbol))
    ) {
      this.report(
        [...path, 'default'],
        'an enum default must be one of its symbols',
      );
      return undefined;
    }
    const decl: EnumDecl = {
      kind: 'enum',
      name: name.name,
      fullName: name.fullName,
      doc: optionalString(node['doc']),
      symbols,
      defaultSymbol,
    };
    this.register(decl);
    return decl;
  }

  private walkRecord(
    node: Record<string, unknown>,
    path: Path,
    name: {
      readonly name: string;
      readonly fullName: string;
      readonly namespace: string;
    },
  ): RecordDecl | undefined {
    const fieldNodes = node['fields'];
    if (!Array.isArray(fieldNodes)) {
      this.report([...path, 'fields'], 'a record needs a "fields" array');
      return undefined;
    }
    // Fields are filled in after registration so that a record can refer to itself.
    const fields: FieldModel[] = [];
    const decl: RecordDecl = {
      kind: 'record',
      name: name.name,
      fullName: name.fullName,
      doc: optionalString(node['doc']),
      fields,
    };
    this.register(decl);
    const isMessage = name.fullName === this.topLevelFullName;
    const seen = new Set<string>();
    fieldNodes.forEach((fieldNode: unknown, index) => {
      const fieldPath = [...path, 'fields', index];
      const field = this.walkField(
        fieldNode,
        fieldPath,
        name.namespace,
        isMessage,
        seen,
      );
      if (field !== undefined) {
        fields.push(field);
      }
    });
    return decl;
  }

  private walkField(
    node: unknown,
    path: Path,
    namespace: string,
    isMessage: boolean,
    seen: Set<string>,
  ): FieldModel | undefined {
    if (
      !isObject(node) ||
      typeof node['name'] !== 'string' ||
      !AVRO_NAME.test(node['name'])
    ) {
      this.report(path, 'a field needs a "name" that is an Avro name');
      return undefined;
    }
    const name = node['name'];
    if (seen.has(name)) {
      this.report([...path, 'name'], `duplicate field ${name}`);
      return undefined;
    }
    seen.add(name);
    if (isMessage && RESERVED_FIELD_NAMES.has(name)) {
      this.report(
        [...path, 'name'],
        `unsupported field name "${name}": it is a member of every generated message class`,
      );
      return undefined;
    }
    const type = this.walkType(node['type'], [...path, 'type'], namespace);
    if (type === undefined) {
      return undefined;
    }
    return {
      name,
      doc: optionalString(node['doc']),
      type,
      defaultValue:
        'default' in node
          ? this.defaultOf(type, node['default'], path)
          : undefined,
    };
  }

  private defaultOf(
    type: TsType,
    value: unknown,
    path: Path,
  ): DefaultValue | undefined {
    // A union's default belongs to its first branch.
    const effective = type.kind === 'union' ? type.branches[0] : type;
    if (effective.kind === 'primitive' && effective.ts === 'Date') {
      if (typeof value !== 'number') {
        this.report(
          [...path, 'default'],
          'a timestamp-millis default must be a number of milliseconds',
        );
        return undefined;
      }
      return { kind: 'date', millis: value };
    }
    return isLiteralSafe(effective)
      ? { kind: 'literal', value }
      : { kind: 'schema' };
  }
}
