import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaInputError } from '../lib/errors';
import { parseSchemaText, type ParsedSchema } from '../lib/schema';
import type { GateBase } from './base';
import {
  parseCatalogue,
  type Catalogue,
  type CatalogueMessage,
} from './catalogue';
import { GateInputError } from './errors';
import type { ChangedFile, Git } from './git';
import { label } from './versions';

export const SCHEMAS_DIR = 'schemas';
export const CATALOGUE_PATH = `${SCHEMAS_DIR}/catalogue.json`;

/** One subject as it is now and as it was at the base. */
export interface SubjectPlan {
  readonly subject: string;
  readonly current?: {
    readonly message: CatalogueMessage;
    readonly path: string;
    readonly text: string;
    readonly schema: ParsedSchema;
  };
  readonly base?: {
    readonly message: CatalogueMessage;
    readonly path: string;
    /** Undefined when the base catalogue lists a file the base commit lacks. */
    readonly text: string | undefined;
  };
}

export interface GatePlan {
  readonly subjects: readonly SubjectPlan[];
  readonly notes: readonly string[];
}

/**
 * Pairs every subject of the working-tree catalogue with its entry in the
 * base catalogue (compatibility is per subject, so a renamed file is followed
 * through its subject), adds the subjects the base had and the working tree
 * dropped, and rejects what cannot be judged: an invalid catalogue or schema,
 * a listed file that is missing, an `.avsc` the catalogue does not list.
 */
export function planSubjects(git: Git, root: string, base: GateBase): GatePlan {
  const problems: string[] = [];
  const notes: string[] = [];
  const changes = git.changedSince(base.sha, SCHEMAS_DIR);

  const currentText = readWorkingFile(root, CATALOGUE_PATH);
  if (currentText === undefined)
    throw new GateInputError([
      `${CATALOGUE_PATH}: not found (the catalogue lists every schema)`,
    ]);
  const current = collect(problems, () =>
    parseCatalogue(currentText, CATALOGUE_PATH),
  );

  const [baseCatalogueText] = git.readAt([
    { rev: base.sha, path: CATALOGUE_PATH },
  ]);
  let baseCatalogue: Catalogue | undefined;
  if (baseCatalogueText === undefined) {
    notes.push(
      `no ${CATALOGUE_PATH} at the base: each subject is compared with its file of the same name there, if any`,
    );
  } else {
    try {
      baseCatalogue = parseCatalogue(
        baseCatalogueText,
        label(base.sha, base, CATALOGUE_PATH),
      );
    } catch (error) {
      if (!(error instanceof SchemaInputError)) throw error;
      // A broken base must not block the pull request that repairs it.
      notes.push(
        `the base catalogue is invalid (${error.message}): each subject is compared with its file of the same name there, if any`,
      );
    }
  }
  if (current === undefined) throw new GateInputError(problems);

  const currentSchemas = current.messages.map((message) => {
    const path = `${SCHEMAS_DIR}/${message.file}`;
    const text = readWorkingFile(root, path);
    if (text === undefined) {
      problems.push(missingFile(path, message, changes));
      return undefined;
    }
    const schema = collect(problems, () => parseSchemaText(text, path));
    return schema === undefined ? undefined : { path, text, schema };
  });

  const listed = new Set(
    current.messages.map((message) => `${SCHEMAS_DIR}/${message.file}`),
  );
  for (const change of changes) {
    if (change.status === 'D' || !change.path.endsWith('.avsc')) continue;
    if (!listed.has(change.path))
      problems.push(
        `${change.path}: not listed in ${CATALOGUE_PATH} (every .avsc in ${SCHEMAS_DIR}/ must be): add a messages[] entry for it or delete it`,
      );
  }
  if (problems.length > 0) throw new GateInputError(problems);

  const baseMessages: readonly CatalogueMessage[] =
    baseCatalogue?.messages ??
    // Without a usable base catalogue, the same file name stands for the subject.
    current.messages;
  const baseTexts = git.readAt(
    baseMessages.map((message) => ({
      rev: base.sha,
      path: `${SCHEMAS_DIR}/${message.file}`,
    })),
  );
  const baseBySubject = new Map(
    baseMessages.map((message, index) => [
      message.subject,
      {
        message,
        path: `${SCHEMAS_DIR}/${message.file}`,
        text: baseTexts[index],
      },
    ]),
  );

  const subjects: SubjectPlan[] = current.messages.map((message, index) => {
    const schema = currentSchemas[index];
    if (schema === undefined) throw new Error('unreachable: checked above');
    const baseEntry = baseBySubject.get(message.subject);
    const usable =
      baseCatalogue === undefined && baseEntry?.text === undefined
        ? undefined
        : baseEntry;
    return {
      subject: message.subject,
      current: { message, ...schema },
      ...(usable === undefined ? {} : { base: usable }),
    };
  });
  if (baseCatalogue !== undefined) {
    for (const message of baseCatalogue.messages) {
      if (current.bySubject.has(message.subject)) continue;
      const entry = baseBySubject.get(message.subject);
      if (entry !== undefined)
        subjects.push({ subject: message.subject, base: entry });
    }
  }
  return { subjects, notes };
}

function collect<T>(problems: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof SchemaInputError)) throw error;
    problems.push(error.message);
    return undefined;
  }
}

function readWorkingFile(root: string, path: string): string | undefined {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function missingFile(
  path: string,
  message: CatalogueMessage,
  changes: readonly ChangedFile[],
): string {
  const renamed = changes.find((change) => change.from === path);
  const hint =
    renamed === undefined
      ? ''
      : ` (git sees it renamed to ${renamed.path}: update "file" in the catalogue)`;
  return `${message.at}: ${message.subject} lists "${message.file}", but ${path} does not exist${hint}`;
}
