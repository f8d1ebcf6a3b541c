import { SchemaInputError } from '../lib/errors';
import { parseSchemaText, type ParsedSchema } from '../lib/schema';
import type { GateBase } from './base';
import type { Git } from './git';

/** Earlier versions of one subject's schema, oldest first, and what was skipped. */
export interface EarlierVersions {
  readonly schemas: readonly ParsedSchema[];
  readonly notes: readonly string[];
}

/**
 * Reads a subject's earlier versions from git: only the base version, or
 * (`transitive`) every distinct version committed up to the base. A version
 * that does not parse is skipped with a note: an old broken commit must not
 * block every later change.
 */
export function earlierVersions(
  git: Git,
  base: GateBase,
  baseFile: string,
  baseText: string,
  transitive: boolean,
): EarlierVersions {
  const versions: { label: string; text: string }[] = [];
  if (transitive) {
    const revisions = git.history(base.sha, baseFile).reverse();
    const texts = git.readAt(
      revisions.map(({ commit, path }) => ({ rev: commit, path })),
    );
    revisions.forEach(({ commit, path }, index) => {
      const text = texts[index];
      if (text !== undefined)
        versions.push({ label: label(commit, base, path), text });
    });
  }
  // The base version comes last: it is the latest earlier one. With a history
  // this is already so, unless git could not follow the file.
  const baseLabel = label(base.sha, base, baseFile);
  const last = versions[versions.length - 1];
  if (last === undefined || canonical(last.text) !== canonical(baseText))
    versions.push({ label: baseLabel, text: baseText });

  const notes: string[] = [];
  const schemas: ParsedSchema[] = [];
  const seen = new Set<string>();
  for (const { label: versionLabel, text } of versions) {
    // The registry keeps one version per distinct schema: so do we, at its first commit.
    const key = canonical(text);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      schemas.push(parseSchemaText(text, versionLabel));
    } catch (error) {
      if (!(error instanceof SchemaInputError)) throw error;
      notes.push(
        `skipped earlier version ${versionLabel}: not a valid schema (${error.message})`,
      );
    }
  }
  return { schemas, notes };
}

/** `<short sha>:<path>`, as `git show` takes it. */
export function label(commit: string, base: GateBase, path: string): string {
  return `${commit.slice(0, Math.max(base.short.length, 7))}:${path}`;
}

function canonical(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}
