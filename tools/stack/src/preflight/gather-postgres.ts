import { dirname, relative } from 'node:path';
import type { PostgresConfig } from '../config';
import { isPortAnswering } from '../net';
import type { StackPaths } from '../paths';
import {
  EmbeddedPostgresMissingError,
  locateBinaries,
  platformPackage,
} from '../postgres-embedded/binaries';
import {
  serverUser,
  unreachableFolder,
} from '../postgres-embedded/server-user';
import { choosePostgres } from '../stack-postgres';
import type { EmbeddedProblem, PostgresFact } from './facts';

function embeddedProblem(paths: StackPaths): EmbeddedProblem | undefined {
  let binary: string;
  try {
    binary = locateBinaries().postgres;
  } catch (error) {
    if (error instanceof EmbeddedPostgresMissingError)
      return { kind: 'package', packageName: platformPackage() };
    throw error;
  }
  let user;
  try {
    user = serverUser();
  } catch {
    return { kind: 'user' };
  }
  if (user === undefined) return undefined;
  const folder =
    unreachableFolder(dirname(paths.postgresData), user) ??
    unreachableFolder(binary, user);
  return folder === undefined ? undefined : { kind: 'folder', folder };
}

/** Which PostgreSQL `up` would use, and whether it answers or can be run embedded here. */
export async function postgresFact(
  config: PostgresConfig,
  paths: StackPaths,
  repoRoot: string,
): Promise<PostgresFact> {
  const address = `${config.host}:${config.port}`;
  const choice = await choosePostgres(config, paths);
  switch (choice.source) {
    case 'DATABASE_URL':
      return {
        kind: 'DATABASE_URL',
        address,
        answering: await isPortAnswering(config.host, config.port),
      };
    case 'existing':
      return { kind: 'existing', address };
    case 'embedded': {
      const dataDir = relative(repoRoot, paths.postgresData);
      if (choice.pid !== undefined)
        return { kind: 'embedded', address, dataDir, pid: choice.pid };
      const problem = embeddedProblem(paths);
      return {
        kind: 'embedded',
        address,
        dataDir,
        ...(problem === undefined ? {} : { problem }),
      };
    }
  }
}
