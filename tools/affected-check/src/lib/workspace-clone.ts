import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway clone of the repository's committed state, where commits and Nx runs are harmless. */
export interface WorkspaceClone {
  /** The clone's working tree. */
  readonly root: string;
  /** A scratch folder beside the clone (not inside it), removed with it. */
  readonly scratch: string;
  /** `npx nx <args>` in the clone (with `env` added); returns stdout, throws with stderr on a non-zero exit. */
  nx(args: readonly string[], env?: Readonly<Record<string, string>>): string;
  /** `node <args>` in the clone (with `env` added); returns stdout. */
  node(args: readonly string[], env?: Readonly<Record<string, string>>): string;
  /** `git <args>` in the clone; returns stdout. */
  git(args: readonly string[]): string;
  /** Rewrites one file (path relative to the clone) and commits it as a single commit. */
  commitEdit(
    message: string,
    relativePath: string,
    edit: (text: string) => string,
  ): void;
  remove(): void;
}

const committer = {
  GIT_AUTHOR_NAME: 'affected-check',
  GIT_AUTHOR_EMAIL: 'affected-check@localhost',
  GIT_COMMITTER_NAME: 'affected-check',
  GIT_COMMITTER_EMAIL: 'affected-check@localhost',
};

/**
 * The environment of every command in the clone. Variables an outer Nx task or git hook may have set
 * (NX_TASK_*, NX_WORKSPACE_ROOT_PATH, GIT_DIR, …) would point the inner commands back at the real
 * repository, so all NX_* and GIT_* variables are dropped before ours are added.
 */
function isolatedEnv(scratch: string): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([name]) => !name.startsWith('NX_') && !name.startsWith('GIT_'),
  );
  return {
    ...Object.fromEntries(inherited),
    ...committer,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_CACHE_DIRECTORY: join(scratch, 'nx-cache'),
    NX_WORKSPACE_DATA_DIRECTORY: join(scratch, 'nx-workspace-data'),
  };
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): string {
  try {
    return execFileSync(command, args, {
      cwd,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `\`${[command, ...args].join(' ')}\` failed in ${cwd}:\n${stderr ?? ''}${stdout ?? ''}`,
      { cause: error },
    );
  }
}

export function repositoryRoot(fromDirectory: string): string {
  return execFileSync('git', ['rev-parse', '--show-toplevel'], {
    cwd: fromDirectory,
    encoding: 'utf8',
  }).trim();
}

/**
 * Clones `sourceRoot`'s committed state (uncommitted edits there are not seen) into a new temporary
 * folder and links the source's node_modules into it, so Nx runs without an install.
 */
export function cloneWorkspace(sourceRoot: string): WorkspaceClone {
  const sourceModules = join(sourceRoot, 'node_modules');
  if (!existsSync(sourceModules)) {
    throw new Error(
      `${sourceModules} does not exist: run npm ci in ${sourceRoot} first`,
    );
  }
  const scratch = mkdtempSync(join(tmpdir(), 'affected-check-'));
  const root = join(scratch, 'repo');
  const env = isolatedEnv(scratch);
  const git = (args: readonly string[]) => run('git', args, root, env);

  try {
    run(
      'git',
      [
        '-c',
        'advice.detachedHead=false',
        'clone',
        '--quiet',
        '--no-hardlinks',
        sourceRoot,
        root,
      ],
      scratch,
      env,
    );
    const sourceHead = run('git', ['rev-parse', 'HEAD'], sourceRoot, env);
    if (git(['rev-parse', 'HEAD']) !== sourceHead) {
      throw new Error(
        `the clone is not at the source's HEAD ${sourceHead.trim()}`,
      );
    }
    symlinkSync(sourceModules, join(root, 'node_modules'), 'dir');
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }

  return {
    root,
    scratch,
    nx: (args, extra = {}) =>
      run('npx', ['nx', ...args], root, { ...env, ...extra }),
    node: (args, extra = {}) =>
      run(process.execPath, args, root, { ...env, ...extra }),
    git,
    commitEdit(message, relativePath, edit) {
      const file = join(root, relativePath);
      const before = readFileSync(file, 'utf8');
      const after = edit(before);
      if (after === before) {
        throw new Error(`the edit left ${relativePath} unchanged`);
      }
      writeFileSync(file, after);
      git(['add', '--', relativePath]);
      git(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', message]);
    },
    remove() {
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
