import { GateInputError } from './errors';
import type { Git } from './git';

/** The commit the working tree is compared with. */
export interface GateBase {
  /** How it was chosen, e.g. `merge base of HEAD and main`. */
  readonly label: string;
  readonly sha: string;
  readonly short: string;
}

export type BaseResolution =
  | {
      readonly kind: 'base';
      readonly base: GateBase;
      readonly notes: readonly string[];
    }
  | {
      readonly kind: 'none';
      readonly reason: string;
      readonly notes: readonly string[];
    };

const MAIN_BRANCHES = [
  { name: 'main', ref: 'refs/heads/main' },
  { name: 'origin/main', ref: 'refs/remotes/origin/main' },
] as const;

/** git's all-zero sha: GitHub's `event.before` for a push that created the branch. */
const NULL_SHA = /^0{7,40}$/;

/**
 * `--base <ref>` when given; otherwise the merge base of HEAD with main (then
 * origin/main); on main itself the last commit when the tree is clean.
 */
export function resolveBase(
  git: Git,
  requested: string | undefined,
  schemasDir: string,
): BaseResolution {
  const notes: string[] = [];
  if (requested !== undefined && NULL_SHA.test(requested)) {
    notes.push(
      `--base ${requested} is git's null commit (a new branch): choosing the base as without --base`,
    );
  } else if (requested !== undefined) {
    const sha = git.commitOf(requested);
    if (sha === undefined) {
      throw new GateInputError([
        `--base ${requested}: no such commit in this repository (a CI checkout needs the full history, e.g. fetch-depth: 0)`,
      ]);
    }
    return { kind: 'base', base: describe(git, requested, sha), notes };
  }

  const head = git.commitOf('HEAD');
  if (head === undefined) {
    return {
      kind: 'none',
      reason: 'no base: nothing to compare (the repository has no commits)',
      notes,
    };
  }
  // Only what the gate reads counts: a README edit is not a schema change.
  const changed = git.hasChanges([
    `:(glob)${schemasDir}/**/*.avsc`,
    `${schemasDir}/catalogue.json`,
  ]);
  for (const branch of MAIN_BRANCHES) {
    const tip = git.commitOf(branch.ref);
    if (tip === undefined) continue;
    const mergeBase = git.mergeBase('HEAD', tip);
    if (mergeBase === undefined) continue;
    // HEAD on main (or behind it) with nothing changed would compare a commit
    // with itself: look further.
    if (mergeBase !== head || changed) {
      const label =
        mergeBase === head
          ? `HEAD (its merge base with ${branch.name}), against the uncommitted changes`
          : `merge base of HEAD and ${branch.name}`;
      return { kind: 'base', base: describe(git, label, mergeBase), notes };
    }
  }
  if (changed) {
    return {
      kind: 'base',
      base: describe(git, 'HEAD, against the uncommitted changes', head),
      notes,
    };
  }
  const parent = git.commitOf('HEAD~1');
  if (parent === undefined) {
    return {
      kind: 'none',
      reason: 'no base: nothing to compare (HEAD has no parent and no changes)',
      notes,
    };
  }
  return {
    kind: 'base',
    base: describe(
      git,
      'HEAD~1 (on main with a clean tree: the last commit)',
      parent,
    ),
    notes,
  };
}

function describe(git: Git, label: string, sha: string): GateBase {
  const short = git.run(['rev-parse', '--short', sha]).trim();
  return { label, sha, short };
}
