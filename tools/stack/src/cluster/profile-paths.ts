import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../paths';

/** Everything of one profile lives under .stack/<profile id>/, apart from the shared download cache. */
export interface ProfilePaths {
  dir: string;
  config: string;
  data: string;
  logs: string;
  run: string;
  pki: string;
  lockFile: string;
  clusterIdFile: string;
  /** Generated passwords (0600). */
  secretsFile: string;
  /** The settings the apps read (0600: it holds the app's passwords). */
  clientEnv: string;
  /** A bearer JWT for the registry, minted on every `up` (0600). */
  registryToken: string;
  /** The registry's config file with the embedded users' passwords (0600). */
  registryConfig: string;
  /** For `docker compose --env-file … --profile cluster` (0600: the brokers' passwords). */
  composeEnv: string;
  /** Where docker-compose's cluster nodes keep their data (bind mounts). */
  composeData: string;
  nodeProperties(nodeId: number): string;
  nodeLogDir(nodeId: number): string;
  logFile(server: string): string;
  pidFile(server: string): string;
}

export function profilePaths(
  profileId: string,
  repoRoot: string = findRepoRoot(),
): ProfilePaths {
  const dir = join(repoRoot, '.stack', profileId);
  const config = join(dir, 'config');
  const data = join(dir, 'data');
  const logs = join(dir, 'logs');
  const run = join(dir, 'run');
  return {
    dir,
    config,
    data,
    logs,
    run,
    pki: join(dir, 'pki'),
    lockFile: join(run, 'stack.lock'),
    clusterIdFile: join(data, 'cluster-id'),
    secretsFile: join(dir, 'secrets.json'),
    clientEnv: join(dir, 'client.env'),
    registryToken: join(dir, 'registry.token'),
    registryConfig: join(config, 'registry.properties'),
    composeEnv: join(dir, 'compose.env'),
    composeData: join(dir, 'compose-data'),
    nodeProperties: (nodeId) => join(config, `kafka-${nodeId}.properties`),
    nodeLogDir: (nodeId) => join(data, `kafka-${nodeId}`),
    logFile: (server) => join(logs, `${server}.log`),
    pidFile: (server) => join(run, `${server}.pid`),
  };
}

/** The profile's folder is private: it holds keys and passwords. */
export function ensureProfileDirs(paths: ProfilePaths): void {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  for (const dir of [paths.config, paths.data, paths.logs, paths.run]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}
