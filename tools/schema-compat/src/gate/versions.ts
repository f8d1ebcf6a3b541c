import { SchemaInputError } from '../lib/errors';
import { parseSchemaText, type ParsedSchema } from '../lib/schema';
import type { GateBase } from './base';
import type { Git } from './git';

/** One committed version of a subject's schema. */
export interface CommittedVersion {
  /** `<short sha>:<path>`, as `git show` takes it. */
  readonly label: string;
  readonly schema: ParsedSchema;
}

/** A subject's committed versions, oldest first (the base last), and what was skipped. */
export interface SubjectHistory {
  readonly versions: readonly CommittedVersion[];
  readonly notes: readonly string[];
}

/**
 * Reads every version of a subject's schema committed on the base's
 * first-parent history (each one was registered when it reached main; the
 * intermediate commits of merged branches never were), following renames.
 * The registry keeps only some of them as versions: see `modelStoredHistory`.
 * A version that does not parse is skipped with a note: an old broken commit
 * must not block every later change.
 */
export function subjectHistory(
  git: Git,
  base: GateBase,
  baseFile: string,
  baseText: string,
): SubjectHistory {
  const revisions = git.history(base.sha, baseFile).reverse();
  const texts = git.readAt(
    revisions.map(({ commit, path }) => ({ rev: commit, path })),
  );
  const committed: { label: string; text: string }[] = [];
  revisions.forEach(({ commit, path }, index) => {
    const text = texts[index];
    if (text !== undefined)
      committed.push({ label: label(commit, base, path), text });
  });
  // The base is the latest committed version, unless git could not follow the file.
  if (committed[committed.length - 1]?.text !== baseText)
    committed.push({ label: label(base.sha, base, baseFile), text: baseText });

  const notes: string[] = [];
  const versions: CommittedVersion[] = [];
  for (const { label: versionLabel, text } of committed) {
    try {
      versions.push({
        label: versionLabel,
        schema: parseSchemaText(text, versionLabel),
      });
    } catch (error) {
      if (!(error instanceof SchemaInputError)) throw error;
      notes.push(
        `skipped earlier version ${versionLabel}: not a valid schema (${error.message})`,
      );
    }
  }
  return { versions, notes };
}

/** `<short sha>:<path>`, as `git show` takes it. */
export function label(commit: string, base: GateBase, path: string): string {
  return `${commit.slice(0, Math.max(base.short.length, 7))}:${path}`;
}
