import { loadPostgresConfig, type PostgresConfig } from '../config';
import { withLock } from '../lock';
import type { Log } from './launch';
import { ensureProfileDirs, type ProfilePaths } from './profile-paths';
import { resolveClusterProfile } from './profile-store';
import {
  type ClusterPorts,
  type ClusterProfile,
  type ClusterSelection,
  registryDatabaseName,
} from './profile';

/** What every profile command takes; the CLI's flags map onto it. */
export interface ClusterCommandOptions {
  /** `--brokers N` and `--secure`. */
  selection: ClusterSelection;
  /** `--kafka-port`, `--registry-port`; default: the last `up`'s, else the profile's defaults. */
  ports?: Partial<ClusterPorts>;
  /** Where DATABASE_URL is read from (the registry's storage); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines; default console.log. */
  log?: Log;
}

export class ClusterStackError extends Error {
  override readonly name = 'ClusterStackError';
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}

export function flagsOf(profile: ClusterSelection): string {
  return `--brokers ${profile.brokers}${profile.secure ? ' --secure' : ''}`;
}

export function prepareCommand(options: ClusterCommandOptions): {
  profile: ClusterProfile;
  paths: ProfilePaths;
  log: Log;
} {
  const { profile, paths } = resolveClusterProfile(
    options.selection,
    options.ports,
  );
  ensureProfileDirs(paths);
  return {
    profile,
    paths,
    log: options.log ?? ((message: string) => console.log(message)),
  };
}

/** One command at a time per profile; profiles (and the default stack) do not wait for each other. */
export function withProfileLock<T>(
  paths: ProfilePaths,
  log: Log,
  work: () => Promise<T>,
): Promise<T> {
  return withLock(paths.lockFile, log, work);
}

/**
 * The default stack's PostgreSQL (DATABASE_URL's, the one on the default address, or the embedded
 * one), with the profile's own registry database: `<app database>_registry_<plain|secure>_<N>`.
 */
export function profilePostgres(
  profile: ClusterProfile,
  env: NodeJS.ProcessEnv = process.env,
): PostgresConfig {
  const postgres = loadPostgresConfig(env);
  return {
    ...postgres,
    registryDatabase: registryDatabaseName(profile, postgres.registryDatabase),
  };
}
