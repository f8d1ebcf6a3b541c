import { ensureStackDirs, findRepoRoot, stackPaths } from '../paths';
import { runChecks } from './checks';
import { gatherFacts } from './gather';
import { formatReport } from './report';

export type PreflightPurpose = 'start' | 'test' | 'up' | 'doctor';

export interface PreflightOptions {
  env?: NodeJS.ProcessEnv;
  /** Progress lines; default console.log (the report), console.error when something is missing. */
  log?: (message: string) => void;
  /** False when a cluster profile is selected: its command checks its own ports. */
  stackPorts?: boolean;
}

/**
 * Checks everything the stack needs before anything starts, and names every missing piece at once
 * with the command that fixes it. Returns false when something is missing (the report says what).
 */
export async function runPreflight(
  purpose: PreflightPurpose,
  options: PreflightOptions = {},
): Promise<boolean> {
  const repoRoot = findRepoRoot();
  const paths = stackPaths(repoRoot);
  ensureStackDirs(paths);
  const facts = await gatherFacts({
    env: options.env ?? process.env,
    paths,
    repoRoot,
    stackPorts: options.stackPorts ?? true,
    // `npm start` serves the apps on these; tests choose free ports of their own.
    appPorts: purpose === 'start' || purpose === 'doctor',
  });
  const results = runChecks(facts);
  const ok = results.every((result) => result.ok);
  const log =
    options.log ?? (ok ? console.log : (line: string) => console.error(line));
  log(formatReport(results));
  return ok;
}
