import { SchemaInputError } from '../lib/errors';
import { modelStoredHistory } from '../lib/registry-history';
import { parseSchemaText, type ParsedSchema } from '../lib/schema';
import type { GateBase } from './base';
import { GateInputError } from './errors';
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

/** A schema text the registry was given and stored as a version of its subject. */
export interface RegisteredVersion {
  /** `<short sha>:<path>` of the commit that brought it to main. */
  readonly label: string;
  readonly text: string;
}

/**
 * The versions the registry stores for the schema in `file`, as registered when each change reached
 * `rev`'s first-parent history, oldest first: one per canonical form, as the registry's lookup
 * dedupes them. What the contract harness writes records with.
 */
export function registeredVersions(
  git: Git,
  rev: string,
  file: string,
): RegisteredVersion[] {
  const sha = git.commitOf(rev);
  if (sha === undefined) throw new GateInputError([`${rev} names no commit`]);
  const [text] = git.readAt([{ rev: sha, path: file }]);
  if (text === undefined)
    throw new GateInputError([`${file} is not committed at ${rev}`]);
  const base: GateBase = { label: rev, sha, short: sha.slice(0, 12) };
  const { versions } = subjectHistory(git, base, file, text);
  const { stored } = modelStoredHistory(
    versions.map((version) => version.schema),
  );
  return stored.map(({ historyIndex, schema }) => ({
    label: versions[historyIndex]?.label ?? file,
    text: schema.source.text ?? JSON.stringify(schema.json),
  }));
}
