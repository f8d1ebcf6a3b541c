import type {
  AvroNode,
  EnumNode,
  FixedNode,
  NamedNode,
  RecordNode,
  UnionNode,
} from './model';
import type { Incompatibility } from './resolve';
import { branchCause } from './union-cause';

/**
 * BACKWARD: the new schema reads data written with an earlier one.
 * FORWARD: an earlier schema reads data written with the new one.
 */
export type Direction = 'BACKWARD' | 'FORWARD';

export interface ExplainContext {
  readonly direction: Direction;
  /** Field names leading to the problem in the reader schema, e.g. `payload.amount`. */
  readonly fieldPath: string | undefined;
}

export interface Explanation {
  readonly message: string;
  readonly fix: string;
}

/** Types that can read data written as the key (Avro's promotions). */
const READABLE_AS: Readonly<Record<string, readonly string[]>> = {
  int: ['int', 'long', 'float', 'double'],
  long: ['long', 'float', 'double'],
  float: ['float', 'double'],
  double: ['double'],
  string: ['string', 'bytes'],
  bytes: ['bytes', 'string'],
};

/** A reviewer-facing message and an actionable fix for one incompatibility. */
export function explain(
  problem: Incompatibility,
  context: ExplainContext,
): Explanation {
  const backward = context.direction === 'BACKWARD';
  const where =
    context.fieldPath === undefined
      ? 'the schema root'
      : `field \`${context.fieldPath}\``;
  const within = context.fieldPath === undefined ? '' : ` (${where})`;
  switch (problem.type) {
    case 'READER_FIELD_MISSING_DEFAULT_VALUE':
      return explainMissingDefault(
        problem.message,
        problem.readerFragment as RecordNode,
        context.fieldPath,
        backward,
      );
    case 'TYPE_MISMATCH':
      return explainTypeMismatch(problem, backward, where);
    case 'NAME_MISMATCH':
      return explainNameMismatch(
        problem.readerFragment as NamedNode,
        problem.writerFragment as NamedNode,
        backward,
        within,
      );
    case 'MISSING_ENUM_SYMBOLS':
      return explainEnumSymbols(
        problem.readerFragment as EnumNode,
        problem.message,
        backward,
        within,
      );
    case 'MISSING_UNION_BRANCH':
      return explainUnionBranch(problem, context, where);
    case 'FIXED_SIZE_MISMATCH':
      return explainFixedSize(
        problem.readerFragment as FixedNode,
        problem.writerFragment as FixedNode,
        backward,
        within,
      );
  }
}

/** `cvv`, or `lines[].cvv` (of record `com.example.Line`) when the field is nested. */
function fieldLabel(
  fieldName: string,
  record: RecordNode,
  fieldPath: string | undefined,
): string {
  const path = fieldPath ?? fieldName;
  return path === fieldName
    ? `field \`${fieldName}\``
    : `field \`${path}\` (of record \`${record.fullName}\`)`;
}

function explainMissingDefault(
  fieldName: string,
  record: RecordNode,
  fieldPath: string | undefined,
  backward: boolean,
): Explanation {
  const field = fieldLabel(fieldName, record, fieldPath);
  return backward
    ? {
        message: `new ${field} has no default, and data written with the old schema has no \`${fieldName}\` to read`,
        fix: `add a default to ${field}, e.g. "type": ["null", …], "default": null; or, if it was renamed, list the old name in its "aliases"`,
      }
    : {
        message: `${field} is gone from the new schema, but old readers need it: it has no default in the old schema`,
        fix: `keep ${field} in the new schema; to drop it later, first release a version that gives it a default and let every reader upgrade`,
      };
}

function explainTypeMismatch(
  problem: Incompatibility,
  backward: boolean,
  where: string,
): Explanation {
  const reader = problem.readerFragment;
  const writer = problem.writerFragment;
  if (
    reader.kind === 'enum' &&
    reader.enumDefault !== null &&
    writer.kind === 'record'
  ) {
    // Avro's checker compares an enum field missing from the writer with the writer record.
    return backward
      ? {
          message: `${where} (enum \`${reader.fullName}\`) is not in the old schema and has no field default; Avro does not count the enum's own default here`,
          fix: `add a field default, e.g. "default": "${reader.enumDefault}", to ${where}`,
        }
      : {
          message: `${where} (enum \`${reader.fullName}\`) is gone from the new schema and has no field default in the old schema`,
          fix: `keep ${where} in the new schema`,
        };
  }
  const readerSide = backward ? 'the new schema reads' : 'old readers read';
  const writerSide = backward
    ? 'the old schema wrote'
    : 'the new schema writes';
  const message = `${readerSide} ${where} as ${describe(reader)}, but ${writerSide} ${describe(writer)}`;
  if (isUnionBranch(problem)) {
    return {
      message: `${message} (a branch of its union)`,
      fix: backward
        ? `make ${where} a union that can read ${describe(writer)} again (e.g. add "${typeLabel(writer)}" to it)`
        : `don't add ${describe(writer)} to ${where} in the new schema: old readers expect only ${describe(reader)}`,
    };
  }
  const promotion = promotionRule(reader, writer);
  if (backward) {
    const widenings = (READABLE_AS[typeLabel(writer)] ?? []).filter(
      (type) => type !== typeLabel(writer),
    );
    const widen =
      widenings.length > 0 ? ` (or widen it to ${widenings.join('/')})` : '';
    return {
      message,
      fix: `${promotion}keep ${where} as ${describe(writer)} in the new schema${widen}; for a real type change add a new field with a default`,
    };
  }
  return {
    message,
    fix: `${promotion}keep ${where} as ${describe(reader)} in the new schema until every reader has upgraded; for a real type change add a new field with a default`,
  };
}

/** e.g. "promote int → long is allowed; long → int is not: " */
function promotionRule(reader: AvroNode, writer: AvroNode): string {
  const from = typeLabel(writer);
  const to = typeLabel(reader);
  if (READABLE_AS[from] === undefined || READABLE_AS[to] === undefined)
    return '';
  return READABLE_AS[to]?.includes(from)
    ? `promote ${to} → ${from} is allowed; ${from} → ${to} is not: `
    : `${from} and ${to} do not promote to each other: `;
}

function explainNameMismatch(
  reader: NamedNode,
  writer: NamedNode,
  backward: boolean,
  within: string,
): Explanation {
  return backward
    ? {
        message: `${reader.kind} \`${writer.fullName}\`${within} was renamed to \`${reader.fullName}\`; the new schema cannot read data written under the old name`,
        fix: `keep the name \`${writer.fullName}\`, or add "aliases": ["${writer.fullName}"] to ${reader.kind} \`${reader.fullName}\`${within} in the new schema`,
      }
    : {
        message: `old readers expect ${reader.kind} \`${reader.fullName}\`${within}, but the new schema writes \`${writer.fullName}\``,
        fix: `keep the name \`${reader.fullName}\`${within} in the new schema (aliases in the new schema only help new readers)`,
      };
}

function explainEnumSymbols(
  reader: EnumNode,
  missing: string,
  backward: boolean,
  within: string,
): Explanation {
  const symbols = missing
    .replace(/^\[|\]$/g, '')
    .split(', ')
    .map((symbol) => `\`${symbol}\``)
    .join(', ');
  return backward
    ? {
        message: `enum \`${reader.fullName}\`${within} in the new schema lacks symbol(s) ${symbols} that old data may contain`,
        fix: `keep symbol(s) ${symbols} in enum \`${reader.fullName}\`${within} or add an enum default to it (e.g. "default": "${reader.symbols[0] ?? 'UNKNOWN'}")`,
      }
    : {
        message: `the new schema adds symbol(s) ${symbols} to enum \`${reader.fullName}\`${within}, which old readers don't know (their enum has no default)`,
        fix: `don't add ${symbols} to enum \`${reader.fullName}\`${within} yet: first release a version whose enum has a "default" (in a version the registry stores: an enum default alone adds none), let every reader upgrade, then add the symbols`,
      };
}

function explainUnionBranch(
  problem: Incompatibility,
  context: ExplainContext,
  where: string,
): Explanation {
  const backward = context.direction === 'BACKWARD';
  const writerBranch = unionBranchWritten(problem);
  const written = describe(writerBranch);
  const cause = branchCause(problem.readerFragment as UnionNode, writerBranch);
  if (cause !== undefined) {
    const inner = cause.problems.map(({ problem: nested, fieldPath }) =>
      explain(nested, {
        direction: context.direction,
        fieldPath: joinPath(context.fieldPath, fieldPath),
      }),
    );
    const why = inner.map((explanation) => explanation.message).join('; ');
    return {
      message: backward
        ? `the union of ${where} in the new schema cannot read ${written}, which the old schema may have written: ${why}`
        : `the new schema may write ${written} in ${where}, which the old schema's union cannot read: ${why}`,
      fix: inner.map((explanation) => explanation.fix).join('; '),
    };
  }
  return backward
    ? {
        message: `the union of ${where} in the new schema has no branch that can read ${written}, which the old schema may have written`,
        fix: `add "${typeLabel(writerBranch)}" back to the union of ${where} in the new schema`,
      }
    : {
        message: `the new schema may write ${written} in ${where}, and the old schema's union has no branch for it`,
        fix: `don't write ${written} in ${where}: keep to the types of the old union until every reader has upgraded`,
      };
}

function explainFixedSize(
  reader: FixedNode,
  writer: FixedNode,
  backward: boolean,
  within: string,
): Explanation {
  const original = backward ? writer.size : reader.size;
  return {
    message: `fixed \`${reader.fullName}\`${within} has size ${reader.size} in the reader but ${writer.size} in the writer`,
    fix: `keep size ${original} for fixed \`${reader.fullName}\`${within}; use a new fixed type in a new field for another size`,
  };
}

/** `payment` and `cvv` inside one of its union's branches: `payment.cvv`. */
function joinPath(
  outer: string | undefined,
  inner: string | undefined,
): string | undefined {
  if (outer === undefined) return inner;
  if (inner === undefined) return outer;
  return /^[[{]/.test(inner) ? `${outer}${inner}` : `${outer}.${inner}`;
}

/** For MISSING_UNION_BRANCH between two unions, Java's last token is the writer branch index. */
export function unionBranchWritten(problem: Incompatibility): AvroNode {
  const writer = problem.writerFragment;
  if (writer.kind !== 'union') return writer;
  const index = Number(problem.readerTokens[problem.readerTokens.length - 1]);
  return writer.branches[index] ?? writer;
}

function isUnionBranch(problem: Incompatibility): boolean {
  const last = problem.readerTokens[problem.readerTokens.length - 1];
  return (
    last !== undefined &&
    /^\d+$/.test(last) &&
    problem.readerFragment.kind !== 'union'
  );
}

function typeLabel(node: AvroNode): string {
  return 'fullName' in node ? node.fullName : node.kind;
}

export function describe(node: AvroNode): string {
  if ('fullName' in node) return `${node.kind} \`${node.fullName}\``;
  if (node.kind === 'union')
    return `union [${node.branches.map(typeLabel).join(', ')}]`;
  if (node.kind === 'array') return `array of ${typeLabel(node.items)}`;
  if (node.kind === 'map') return `map of ${typeLabel(node.values)}`;
  return node.logicalType === undefined
    ? `\`${node.kind}\``
    : `\`${node.kind}\` (${node.logicalType})`;
}
