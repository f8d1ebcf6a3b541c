import type { AvroNode, FieldNode, JsonValue, Props } from './model';

/**
 * Java's `Schema.equals`, which decides whether a second definition of a
 * named type is allowed (`ParseContext.put`): names, symbols, sizes, fields
 * (name, type, default, order, properties) and properties must be equal; docs,
 * aliases and an enum's default are not compared.
 */
export function javaSchemaEquals(left: AvroNode, right: AvroNode): boolean {
  return new Comparison().nodes(left, right);
}

class Comparison {
  private readonly seen = new Map<AvroNode, Set<AvroNode>>();

  nodes(left: AvroNode, right: AvroNode): boolean {
    if (left === right) return true;
    if (left.kind !== right.kind || !propsEqual(left.props, right.props))
      return false;
    const pairs = this.seen.get(left) ?? new Set<AvroNode>();
    // A recursive record compared again is equal unless shown otherwise, as in Java.
    if (pairs.has(right)) return true;
    pairs.add(right);
    this.seen.set(left, pairs);
    switch (left.kind) {
      case 'record':
        return (
          right.kind === 'record' &&
          left.fullName === right.fullName &&
          left.fields.length === right.fields.length &&
          left.fields.every((field, index) =>
            this.fields(field, right.fields[index] as FieldNode),
          )
        );
      case 'enum':
        return (
          right.kind === 'enum' &&
          left.fullName === right.fullName &&
          left.symbols.length === right.symbols.length &&
          left.symbols.every((symbol, index) => symbol === right.symbols[index])
        );
      case 'fixed':
        return (
          right.kind === 'fixed' &&
          left.fullName === right.fullName &&
          left.size === right.size
        );
      case 'array':
        return right.kind === 'array' && this.nodes(left.items, right.items);
      case 'map':
        return right.kind === 'map' && this.nodes(left.values, right.values);
      case 'union':
        return (
          right.kind === 'union' &&
          left.branches.length === right.branches.length &&
          left.branches.every((branch, index) =>
            this.nodes(branch, right.branches[index] as AvroNode),
          )
        );
      default:
        return true;
    }
  }

  private fields(left: FieldNode, right: FieldNode): boolean {
    return (
      left.name === right.name &&
      left.order === right.order &&
      left.hasDefault === right.hasDefault &&
      jsonEquals(left.defaultValue ?? null, right.defaultValue ?? null) &&
      propsEqual(left.props, right.props) &&
      this.nodes(left.type, right.type)
    );
  }
}

/** Java compares properties as maps: order does not matter. */
function propsEqual(left: Props, right: Props): boolean {
  if (left.length !== right.length) return false;
  const byKey = new Map(left);
  return right.every(
    ([key, value]) =>
      byKey.has(key) && jsonEquals(byKey.get(key) as JsonValue, value),
  );
}

export function jsonEquals(left: JsonValue, right: JsonValue): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => jsonEquals(item, right[index] as JsonValue))
    );
  }
  if (
    left === null ||
    right === null ||
    typeof left !== 'object' ||
    typeof right !== 'object'
  )
    return false;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every(
      (key) =>
        key in right &&
        jsonEquals(left[key] as JsonValue, right[key] as JsonValue),
    )
  );
}
