import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  loadPostgresConfig,
  loadStackConfig,
  type StackConfig,
} from '../config';
import { downloadsCached } from '../downloads';
import { javaSearchDescription, searchJava } from '../java';
import type { StackPaths } from '../paths';
import type { MavenFact, PreflightFacts } from './facts';
import { diskFacts } from './gather-disks';
import { appPortFacts, stackPortFacts } from './gather-ports';
import { postgresFact } from './gather-postgres';

export interface GatherOptions {
  env: NodeJS.ProcessEnv;
  paths: StackPaths;
  repoRoot: string;
  /** The default stack's ports (Kafka, registry); false when a profile is selected (it checks its own). */
  stackPorts: boolean;
  /** The apps' ports (PORT, WORKER_HEALTH_PORT): `npm start` serves on them. */
  appPorts: boolean;
}

function engines(repoRoot: string): { node?: string; npm?: string } {
  const manifest = JSON.parse(
    readFileSync(join(repoRoot, 'package.json'), 'utf8'),
  ) as { engines?: { node?: string; npm?: string } };
  return manifest.engines ?? {};
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, command))
    .find((path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function maven(env: NodeJS.ProcessEnv, paths: StackPaths): MavenFact {
  return { needed: !downloadsCached(paths), path: onPath('mvn', env) };
}

function npmFact(
  env: NodeJS.ProcessEnv,
  required: string | undefined,
): PreflightFacts['npm'] {
  const version = /\bnpm\/(\d+\.\d+\.\d+)/.exec(
    env['npm_config_user_agent'] ?? '',
  )?.[1];
  return version === undefined || required === undefined
    ? undefined
    : { version, required };
}

/** Looks at this machine; starts nothing. */
export async function gatherFacts(
  options: GatherOptions,
): Promise<PreflightFacts> {
  const { env, paths, repoRoot } = options;
  let configError: string | undefined;
  let config: StackConfig;
  try {
    config = loadStackConfig(env);
  } catch (error) {
    configError = error instanceof Error ? error.message : String(error);
    config = loadStackConfig({});
  }
  let postgres = config.postgres;
  try {
    postgres = loadPostgresConfig(env);
  } catch {
    // Reported with configError.
  }
  const required = engines(repoRoot);
  const java = searchJava(21, env);
  const [stackPorts, appPorts, postgresState] = await Promise.all([
    options.stackPorts ? stackPortFacts(config, paths) : Promise.resolve([]),
    options.appPorts ? appPortFacts(env) : Promise.resolve([]),
    postgresFact(postgres, paths, repoRoot),
  ]);
  return {
    node: { version: process.versions.node, required: required.node ?? '*' },
    npm: npmFact(env, required.npm),
    java: { ...java, minMajor: 21, searched: javaSearchDescription(env) },
    maven: maven(env, paths),
    ports: [...stackPorts, ...appPorts],
    disks: diskFacts(env, paths, downloadsCached(paths)),
    postgres: postgresState,
    ...(configError === undefined ? {} : { configError }),
  };
}
