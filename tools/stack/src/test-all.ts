import path from 'node:path';
import {
  formatSummary,
  runSuite,
  type Suite,
  type SuiteResult,
} from './suites';
import { findRepoRoot } from './paths';
import { runPreflight } from './preflight/preflight';
import {
  managedServerNames,
  stackDown,
  stackStatus,
  stackUp,
  type ManagedServerName,
} from './stack';

/*
 * `npm test`: every suite, against the real stack. Brings the stack up when it is not running and
 * stops afterwards only what it started, so the machine is left as it was found.
 * `--only <suite>` runs one suite (`npm run test:faults` is `--only faults`).
 */

const nx = (...args: string[]): Pick<Suite, 'command' | 'args'> => ({
  command: 'npx',
  args: ['nx', ...args, '--output-style=static'],
});

const offlineSuites: Suite[] = [
  { name: 'schema gate', ...nx('run', 'schemas:gate') },
  { name: 'format', command: 'npx', args: ['prettier', '--check', '.'] },
  { name: 'lint', ...nx('run-many', '-t', 'lint') },
  { name: 'typecheck', ...nx('run-many', '-t', 'typecheck') },
  { name: 'generated', ...nx('run', 'contracts:check-generated') },
  { name: 'unit', ...nx('run-many', '-t', 'test') },
  { name: 'build', ...nx('run-many', '-t', 'build') },
];

const stackSuites: Suite[] = [
  { name: 'integration', ...nx('run-many', '-t', 'int-test', '--parallel=1') },
  { name: 'e2e', ...nx('run-many', '-t', 'e2e', '--parallel=1') },
  { name: 'faults', ...nx('run', 'subtasks-e2e:faults') },
];

/** The suites `--only <name>` names, or all of them. */
function selected(suites: Suite[], argv: readonly string[]): Suite[] {
  const at = argv.indexOf('--only');
  if (at < 0) return suites;
  return suites.filter((suite) => suite.name === argv[at + 1]);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const offline = selected(offlineSuites, argv);
  const online = selected(stackSuites, argv);
  if (offline.length + online.length === 0) {
    const names = [...offlineSuites, ...stackSuites].map((s) => s.name);
    console.error(`--only takes one of: ${names.join(', ')}`);
    return 2;
  }
  if (!(await runPreflight('test'))) return 1;
  const cwd = findRepoRoot();
  // `npm test` runs under `tsx --tsconfig tsconfig.base.json`, which exports a relative
  // TSX_TSCONFIG_PATH; tools that start tsx in another folder must not inherit it.
  const { TSX_TSCONFIG_PATH: _relativeToRoot, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    TZ: 'UTC',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    // The workspace's own cache: a fresh clone never replays results computed in another checkout.
    NX_CACHE_DIRECTORY: path.join(cwd, '.nx', 'cache'),
    FORCE_COLOR: process.env['FORCE_COLOR'] ?? '0',
  };
  const results: SuiteResult[] = [];
  for (const suite of offline) results.push(await runSuite(suite, cwd, env));
  if (online.length === 0) {
    console.log(formatSummary(results));
    return results.every((r) => r.ok) ? 0 : 1;
  }

  const upStarted = Date.now();
  let started: readonly ManagedServerName[] = [];
  const runningBefore = await runningServers();
  try {
    started = (await stackUp()).started;
    results.push(stackResult('stack:up', true, upStarted));
  } catch (error) {
    console.error(String((error as Error).message));
    // A partial start must not outlive the run either.
    started = managedServerNames.filter(
      (name) => !runningBefore.includes(name),
    );
    results.push(stackResult('stack:up', false, upStarted));
  }
  try {
    if (results.at(-1)?.ok) {
      for (const suite of online) results.push(await runSuite(suite, cwd, env));
    }
  } finally {
    if (started.length > 0) {
      console.log(`\nstopping what this run started: ${started.join(', ')}`);
      await stackDown({ servers: started });
    }
  }
  console.log(formatSummary(results));
  return results.every((r) => r.ok) ? 0 : 1;
}

async function runningServers(): Promise<ManagedServerName[]> {
  const statuses = await stackStatus();
  return managedServerNames.filter((name) =>
    statuses.some((s) => s.name === name && s.state === 'running'),
  );
}

function stackResult(name: string, ok: boolean, since: number): SuiteResult {
  return {
    name,
    ok,
    seconds: (Date.now() - since) / 1000,
    tests: { passed: 0, failed: 0, skipped: 0 },
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
