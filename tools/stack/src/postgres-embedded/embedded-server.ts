import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PostgresConfig } from '../config';
import { waitUntilReady } from '../net';
import { checkPostgres } from '../postgres';
import {
  failureReport,
  isOurProcess,
  type ProcessUser,
  readPidFile,
  removePidFile,
  startDetached,
} from '../processes';
import type { StackPaths } from '../paths';
import {
  ensureExecutable,
  ensureLibraryLinks,
  locateBinaries,
} from './binaries';
import { initialise, isInitialised } from './initdb';
import { type StopHow, stopPostmaster } from './postmaster';
import {
  EmbeddedPostgresUserError,
  serverUser,
  unreachableFolder,
} from './server-user';

/** Where the stack's own PostgreSQL keeps its files and answers. */
export interface EmbeddedPostgres {
  name: 'postgres';
  title: string;
  dataDir: string;
  logFile: string;
  pidFile: string;
  /** The postmaster's command line holds it: tells our server from a process that took its pid. */
  marker: string;
  url: string;
  config: PostgresConfig;
  readyTimeoutMs: number;
}

export function embeddedPostgres(
  config: PostgresConfig,
  paths: StackPaths,
): EmbeddedPostgres {
  return {
    name: 'postgres',
    title: 'embedded PostgreSQL',
    dataDir: paths.postgresData,
    logFile: paths.logFile('postgres'),
    pidFile: paths.pidFile('postgres'),
    marker: paths.postgresData,
    url: `${config.host}:${config.port}`,
    config,
    readyTimeoutMs: 30_000,
  };
}

/** The live postmaster this stack started, if any. */
export function embeddedPostgresPid(
  server: EmbeddedPostgres,
): number | undefined {
  const record = readPidFile(server.pidFile);
  return record !== undefined && isOurProcess(record.pid, server.marker)
    ? record.pid
    : undefined;
}

function assertReachable(user: ProcessUser | undefined, paths: string[]): void {
  if (user === undefined) return;
  for (const path of paths) {
    const folder = unreachableFolder(path, user);
    if (folder !== undefined) {
      throw new EmbeddedPostgresUserError(
        `the embedded PostgreSQL runs as the \`postgres\` user (PostgreSQL refuses root), which cannot enter ${folder}. ` +
          `Allow it (\`chmod o+x ${folder}\`), move the checkout to a folder it can reach, run the stack as a normal user, ` +
          'or point DATABASE_URL at a PostgreSQL server.',
      );
    }
  }
}

/** Settings passed to the server on its command line (no secrets among them). */
export function serverArgs(server: EmbeddedPostgres): string[] {
  return [
    '-D',
    server.dataDir,
    '-p',
    String(server.config.port),
    '-c',
    `listen_addresses=${server.config.host}`,
    // TCP only: a socket in /tmp would collide with another server's on the same port number.
    '-c',
    'unix_socket_directories=',
  ];
}

export interface EmbeddedStart {
  pid: number;
  /** True when this start created the data directory (initdb). */
  initialised: boolean;
}

/**
 * Starts the stack's PostgreSQL (initialising its data directory the first time) in its own
 * process group, so it outlives this process, and resolves once it answers a query.
 */
export async function startEmbeddedPostgres(
  server: EmbeddedPostgres,
): Promise<EmbeddedStart> {
  const binaries = locateBinaries();
  ensureLibraryLinks(binaries.packageRoot);
  ensureExecutable(binaries.initdb);
  ensureExecutable(binaries.postgres);
  const user = serverUser();
  assertReachable(user, [dirname(server.dataDir), binaries.postgres]);
  mkdirSync(dirname(server.dataDir), { recursive: true });

  const initialised = !isInitialised(server.dataDir);
  if (initialised)
    await initialise(server.dataDir, server.config, binaries.initdb, user);
  removePidFile(server.pidFile);
  const pid = startDetached({
    command: binaries.postgres,
    args: serverArgs(server),
    cwd: dirname(server.dataDir),
    logFile: server.logFile,
    pidFile: server.pidFile,
    url: server.url,
    env: { LC_ALL: 'C' },
    ...(user === undefined ? {} : { user }),
  });
  try {
    await waitForEmbeddedPostgres(server, pid);
  } catch (error) {
    await stopPostmaster(pid, 5_000).catch(() => undefined);
    removePidFile(server.pidFile);
    throw new Error(failureReport(server, error));
  }
  return { pid, initialised };
}

/** Resolves once the server answers `select 1`; gives up early when its process has died. */
export async function waitForEmbeddedPostgres(
  server: EmbeddedPostgres,
  pid: number,
): Promise<void> {
  await waitUntilReady(() => checkPostgres(server.config), {
    what: `${server.title} at ${server.url}`,
    timeoutMs: server.readyTimeoutMs,
    intervalMs: 100,
    abortReason: () =>
      isOurProcess(pid, server.marker)
        ? undefined
        : `its process (pid ${pid}) exited`,
  });
}

export interface EmbeddedStop {
  pid: number;
  how: StopHow;
  ms: number;
}

/** Stops the stack's PostgreSQL, if it runs; harmless otherwise. */
export async function stopEmbeddedPostgres(
  server: EmbeddedPostgres,
  graceMs = 20_000,
): Promise<EmbeddedStop | undefined> {
  const pid = embeddedPostgresPid(server);
  removePidFile(server.pidFile);
  if (pid === undefined) return undefined;
  const began = Date.now();
  const how = await stopPostmaster(pid, graceMs);
  return { pid, how, ms: Date.now() - began };
}
