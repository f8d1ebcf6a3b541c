import { locate } from './locate';
import type { AvroNode, UnionNode } from './model';
import {
  checkReaderWriter,
  schemaNameEquals,
  type Incompatibility,
} from './resolve';

/** Why a reader union cannot read a written branch: the branch meant for it and what breaks inside. */
export interface BranchCause {
  /** The reader branch of the same kind (and name) as the written one. */
  readonly branch: AvroNode;
  readonly problems: readonly {
    readonly problem: Incompatibility;
    /** Field names inside the branch, e.g. `cvv` or `lines[].sku`. */
    readonly fieldPath: string | undefined;
  }[];
}

/**
 * Avro reports only MISSING_UNION_BRANCH when a record (or enum, fixed,
 * array, map) inside a union changes; this finds the reader branch that was
 * meant to read the written one (same kind, and same name for a named type,
 * or the only branch of that kind) and checks the two directly, to name the
 * field, symbol or size that breaks.
 */
export function branchCause(
  union: UnionNode,
  written: AvroNode,
): BranchCause | undefined {
  const sameKind = union.branches.filter(
    (branch) => branch.kind === written.kind,
  );
  const sameName =
    'fullName' in written
      ? sameKind.find(
          (branch) =>
            'fullName' in branch &&
            (schemaNameEquals(branch, written) ||
              branch.fullName === written.fullName),
        )
      : undefined;
  const branch = sameName ?? (sameKind.length === 1 ? sameKind[0] : undefined);
  if (branch === undefined) return undefined;
  const result = checkReaderWriter(branch, written);
  if (result.compatible) return undefined;
  return {
    branch,
    problems: result.incompatibilities.map((problem) => ({
      problem,
      fieldPath:
        locate(branch, problem.readerTokens).fieldPath ??
        locate(written, problem.writerTokens).fieldPath,
    })),
  };
}
