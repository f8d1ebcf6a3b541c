import { execFileSync } from 'node:child_process';

/** git failed in a way the gate cannot work around (not a repository, corrupt object, …). */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

/** One line of `git diff --name-status`, or an untracked file (`?`). */
export interface ChangedFile {
  /** A, M, D, R, C, T, U or ? (untracked). */
  readonly status: string;
  /** Path from the repository root, after the change. */
  readonly path: string;
  /** For a rename or copy: the path before. */
  readonly from?: string;
}

/** A commit that touched a file and the file's path in that commit. */
export interface FileRevision {
  readonly commit: string;
  readonly path: string;
}

const MAX_OUTPUT = 256 * 1024 * 1024;

/** The few git reads the gate needs, run in one working tree. */
export class Git {
  constructor(
    readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Runs git and returns its stdout; throws {@link GitError} with git's stderr on failure. */
  run(args: readonly string[], input?: string): string {
    return this.runBuffer(args, input).toString('utf8');
  }

  /** The repository's root folder. */
  topLevel(): string {
    return this.run(['rev-parse', '--show-toplevel']).trim();
  }

  /** The full sha of a commit-ish, or undefined when it names no commit. */
  commitOf(ref: string): string | undefined {
    try {
      const sha = this.run([
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${ref}^{commit}`,
      ]).trim();
      return sha === '' ? undefined : sha;
    } catch {
      return undefined;
    }
  }

  /** The merge base of two commits, or undefined when they share no history. */
  mergeBase(left: string, right: string): string | undefined {
    try {
      const sha = this.run(['merge-base', left, right]).trim();
      return sha === '' ? undefined : sha;
    } catch {
      return undefined;
    }
  }

  /** Does the working tree (staged, unstaged or untracked) differ from HEAD in these pathspecs? */
  hasChanges(pathspecs: readonly string[]): boolean {
    return (
      this.run([
        'status',
        '--porcelain',
        '--untracked-files=all',
        '--',
        ...pathspecs,
      ]).trim() !== ''
    );
  }

  /** Files under `path` that differ between `base` and the working tree, renames detected, plus untracked files. */
  changedSince(base: string, path: string): ChangedFile[] {
    const fields = this.run([
      'diff',
      '--name-status',
      '-M',
      '-z',
      base,
      '--',
      path,
    ]).split('\0');
    const changes: ChangedFile[] = [];
    for (let index = 0; index < fields.length; ) {
      const status = fields[index] ?? '';
      index += 1;
      if (status === '') continue;
      if (status.startsWith('R') || status.startsWith('C')) {
        const from = fields[index] ?? '';
        const to = fields[index + 1] ?? '';
        index += 2;
        changes.push({ status: status.charAt(0), path: to, from });
      } else {
        changes.push({ status: status.charAt(0), path: fields[index] ?? '' });
        index += 1;
      }
    }
    const untracked = this.run([
      'ls-files',
      '--others',
      '--exclude-standard',
      '-z',
      '--',
      path,
    ])
      .split('\0')
      .filter((file) => file !== '');
    return [
      ...changes,
      ...untracked.map((file) => ({ status: '?', path: file })),
    ];
  }

  /**
   * Reads files at commits (`<rev>:<path>`, path from the repository root) in
   * one `git cat-file --batch`; undefined for a file absent at that commit.
   */
  readAt(
    specs: readonly { readonly rev: string; readonly path: string }[],
  ): (string | undefined)[] {
    if (specs.length === 0) return [];
    const output = this.runBuffer(
      ['cat-file', '--batch'],
      specs.map(({ rev, path }) => `${rev}:${path}\n`).join(''),
    );
    const texts: (string | undefined)[] = [];
    let offset = 0;
    for (let index = 0; index < specs.length; index += 1) {
      const headerEnd = output.indexOf(10, offset);
      if (headerEnd < 0)
        throw new GitError('git cat-file --batch: output ended early');
      const header = output.toString('utf8', offset, headerEnd).split(' ');
      offset = headerEnd + 1;
      if (header.length !== 3) {
        // "<spec> missing" (or "ambiguous"): the file is not in that commit.
        texts.push(undefined);
        continue;
      }
      const size = Number(header[2]);
      const content = output.toString('utf8', offset, offset + size);
      offset += size + 1;
      texts.push(header[1] === 'blob' ? content : undefined);
    }
    return texts;
  }

  /**
   * Commits up to `rev` that changed `path`, newest first, following renames.
   * `--first-parent` keeps to the commits of the base branch itself: the
   * intermediate commits of a merged branch were never registered.
   */
  history(rev: string, path: string): FileRevision[] {
    const lines = this.run([
      'log',
      '--first-parent',
      '--follow',
      '--name-only',
      '--format=commit %H',
      rev,
      '--',
      path,
    ]).split('\n');
    const revisions: FileRevision[] = [];
    let commit: string | undefined;
    for (const line of lines) {
      if (line.startsWith('commit ')) {
        commit = line.slice('commit '.length);
      } else if (line !== '' && commit !== undefined) {
        revisions.push({ commit, path: line });
        commit = undefined;
      }
    }
    return revisions;
  }

  private runBuffer(args: readonly string[], input?: string): Buffer {
    try {
      return execFileSync('git', [...args], {
        cwd: this.cwd,
        env: this.env,
        input,
        maxBuffer: MAX_OUTPUT,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new GitError(
        `git ${args.join(' ')} failed: ${stderr || (error as Error).message}`,
      );
    }
  }
}
