import { existsSync, rmSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { PostgresConfig } from './config';
import { withLock } from './lock';
import { isPortAnswering } from './net';
import { ensureStackDirs, type StackPaths } from './paths';
import {
  checkPostgres,
  dropDatabase,
  ensureDatabase,
  postgresServerPid,
} from './postgres';
import {
  type EmbeddedPostgres,
  embeddedPostgres,
  embeddedPostgresPid,
  startEmbeddedPostgres,
  stopEmbeddedPostgres,
  waitForEmbeddedPostgres,
} from './postgres-embedded/embedded-server';

/*
 * Which PostgreSQL the stack uses: DATABASE_URL's server when it is set; otherwise whatever answers
 * on the default address; otherwise the stack's own, embedded one, started on that address.
 */

export type Log = (message: string) => void;

export type PostgresSource = 'DATABASE_URL' | 'existing' | 'embedded';

export interface PostgresChoice {
  source: PostgresSource;
  server: EmbeddedPostgres;
  /** The embedded server's postmaster, when it runs. */
  pid?: number;
}

export async function choosePostgres(
  config: PostgresConfig,
  paths: StackPaths,
): Promise<PostgresChoice> {
  const server = embeddedPostgres(config, paths);
  if (config.explicit) return { source: 'DATABASE_URL', server };
  const pid = embeddedPostgresPid(server);
  if (pid !== undefined) return { source: 'embedded', server, pid };
  if (await isPortAnswering(config.host, config.port))
    return { source: 'existing', server };
  return { source: 'embedded', server };
}

/** The data directory as the user sees it from the repository root, e.g. `.stack/data/postgres`. */
function shownDataDir(paths: StackPaths): string {
  return relative(dirname(paths.root), paths.postgresData);
}

export function describeSource(
  choice: PostgresChoice,
  paths: StackPaths,
): string {
  switch (choice.source) {
    case 'DATABASE_URL':
      return "DATABASE_URL's server";
    case 'existing':
      return `the server already on ${choice.server.url}`;
    case 'embedded':
      return `embedded, data in ${shownDataDir(paths)}`;
  }
}

export interface PostgresUpResult {
  source: PostgresSource;
  /** True when this call started the embedded server. */
  started: boolean;
  /** Which server, for people: see describeSource. */
  description: string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Makes sure the stack's PostgreSQL answers (starting the embedded one when it is the choice and
 * not running) and that `databases` exist on it.
 */
export async function postgresUp(
  config: PostgresConfig,
  paths: StackPaths,
  log: Log,
  databases: readonly string[],
): Promise<PostgresUpResult> {
  // A profile's first command on a fresh clone comes here before the default stack made its folders.
  ensureStackDirs(paths);
  const result = await withLock(
    paths.postgresLockFile,
    log,
    async (): Promise<PostgresUpResult> => {
      const choice = await choosePostgres(config, paths);
      const description = describeSource(choice, paths);
      if (choice.source !== 'embedded') {
        await checkPostgres(config);
        return { source: choice.source, started: false, description };
      }
      if (choice.pid !== undefined) {
        await waitForEmbeddedPostgres(choice.server, choice.pid);
        log(`postgres  already running (pid ${choice.pid}, embedded)`);
        return { source: 'embedded', started: false, description };
      }
      const began = Date.now();
      const { pid, initialised } = await startEmbeddedPostgres(choice.server);
      log(
        `postgres  ${initialised ? 'initialised and started' : 'started'} the embedded PostgreSQL on ${choice.server.url} ` +
          `(pid ${pid}, ${seconds(Date.now() - began)}), data ${paths.postgresData}, log ${choice.server.logFile}`,
      );
      return { source: 'embedded', started: true, description };
    },
  );
  for (const database of databases) {
    if (await ensureDatabase(config, database))
      log(`postgres  created database ${database}`);
  }
  return result;
}

/** Stops the embedded PostgreSQL when this stack runs it; a server the stack did not start is left alone. */
export async function postgresDown(
  config: PostgresConfig,
  paths: StackPaths,
  log: Log,
): Promise<void> {
  ensureStackDirs(paths);
  await withLock(paths.postgresLockFile, log, async () => {
    const stopped = await stopEmbeddedPostgres(embeddedPostgres(config, paths));
    if (stopped !== undefined) {
      log(
        `postgres  stopped (pid ${stopped.pid}, ${stopped.how === 'fast' ? 'fast shutdown' : stopped.how}, ${seconds(stopped.ms)})`,
      );
    }
  });
}

/**
 * The embedded server's data goes (app and registry databases); on any other server only the
 * registry's database is dropped, as the app's database is not the stack's to delete.
 */
export async function postgresReset(
  config: PostgresConfig,
  paths: StackPaths,
  log: Log,
): Promise<void> {
  ensureStackDirs(paths);
  await withLock(paths.postgresLockFile, log, async () => {
    const server = embeddedPostgres(config, paths);
    await stopEmbeddedPostgres(server);
    const choice = await choosePostgres(config, paths);
    if (choice.source !== 'embedded') {
      await dropDatabase(config, config.registryDatabase);
      log(`registry  database ${config.registryDatabase} dropped`);
    }
    if (existsSync(server.dataDir)) {
      rmSync(server.dataDir, { recursive: true, force: true });
      log(
        `postgres  embedded data deleted (${server.dataDir}): app and registry databases`,
      );
    }
  });
}

export interface PostgresStatus {
  name: 'postgres';
  state: 'running' | 'starting' | 'stopped';
  pid?: number;
  url: string;
  /** True for the embedded server, which the stack starts and stops. */
  managed: boolean;
  /** Which server: DATABASE_URL's, one already on the default address, or the embedded one. */
  detail: string;
}

export async function postgresStatus(
  config: PostgresConfig,
  paths: StackPaths,
  shownUrl: string,
): Promise<PostgresStatus> {
  const choice = await choosePostgres(config, paths);
  const row = { name: 'postgres' as const, url: shownUrl };
  if (choice.source === 'embedded') {
    if (choice.pid === undefined) {
      return {
        ...row,
        state: 'stopped',
        managed: true,
        detail: `embedded, not running: stack:up starts it (data in ${shownDataDir(paths)})`,
      };
    }
    const answering = await isPortAnswering(config.host, config.port);
    return {
      ...row,
      state: answering ? 'running' : 'starting',
      pid: choice.pid,
      managed: true,
      detail: describeSource(choice, paths),
    };
  }
  const detail = describeSource(choice, paths);
  try {
    return {
      ...row,
      state: 'running',
      pid: await postgresServerPid(config),
      managed: false,
      detail,
    };
  } catch {
    return { ...row, state: 'stopped', managed: false, detail };
  }
}
