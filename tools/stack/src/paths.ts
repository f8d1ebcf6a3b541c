import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root: the nearest folder above this file that holds nx.json (independent of cwd). */
export function findRepoRoot(start: string = __dirname): string {
  let current = start;
  for (;;) {
    if (existsSync(join(current, 'nx.json'))) return current;
    const parent = dirname(current);
    if (parent === current) {
      throw new Error(
        `Cannot find the workspace root (nx.json) above ${start}`,
      );
    }
    current = parent;
  }
}

export interface StackPaths {
  root: string;
  cache: string;
  kafkaData: string;
  kafkaLogDir: string;
  kafkaClusterIdFile: string;
  kafkaProperties: string;
  /** The embedded PostgreSQL's data directory (app and registry databases), when the stack runs one. */
  postgresData: string;
  logs: string;
  run: string;
  lockFile: string;
  /** Held while the embedded PostgreSQL is started or stopped: the default stack and profiles share it. */
  postgresLockFile: string;
  pom: string;
  logFile(server: string): string;
  pidFile(server: string): string;
}

export function stackPaths(repoRoot: string = findRepoRoot()): StackPaths {
  const root = join(repoRoot, '.stack');
  const kafkaData = join(root, 'data', 'kafka');
  const logs = join(root, 'logs');
  const run = join(root, 'run');
  return {
    root,
    cache: join(root, 'cache'),
    kafkaData,
    kafkaLogDir: join(kafkaData, 'log'),
    kafkaClusterIdFile: join(kafkaData, 'cluster-id'),
    kafkaProperties: join(kafkaData, 'node.properties'),
    postgresData: join(root, 'data', 'postgres'),
    logs,
    run,
    lockFile: join(run, 'stack.lock'),
    postgresLockFile: join(run, 'postgres.lock'),
    pom: join(repoRoot, 'tools', 'stack', 'pom.xml'),
    logFile: (server) => join(logs, `${server}.log`),
    pidFile: (server) => join(run, `${server}.pid`),
  };
}

export function ensureStackDirs(paths: StackPaths): void {
  for (const dir of [paths.cache, paths.kafkaData, paths.logs, paths.run]) {
    mkdirSync(dir, { recursive: true });
  }
}
