import { rmSync } from 'node:fs';
import { stackPaths } from '../paths';
import { dropDatabase } from '../postgres';
import { ResetNotConfirmedError } from '../stack';
import { postgresUp } from '../stack-postgres';
import {
  type ClusterCommandOptions,
  ClusterStackError,
  prepareCommand,
  profilePostgres,
  seconds,
  withProfileLock,
} from './cluster-command';
import { clusterServers } from './cluster-servers';
import type { Log } from './launch';
import { ensureProfileDirs, type ProfilePaths } from './profile-paths';
import type { ClusterProfile } from './profile';
import {
  portsStillTaken,
  type Stopped,
  stopQuorum,
  stopServer,
} from './server-control';

const stopGraceMs = 30_000;
const quorumLostGraceMs = 8_000;

async function bringDown(
  profile: ClusterProfile,
  paths: ProfilePaths,
  log: Log,
): Promise<void> {
  const servers = clusterServers(profile, paths);
  const nodes = servers.filter((server) => server.nodeId !== undefined);
  const registry = servers.filter((server) => server.nodeId === undefined);
  const report = (name: string, stopped: Stopped | undefined) =>
    log(
      stopped === undefined
        ? `${name.padEnd(9)} not running`
        : `${name.padEnd(9)} stopped (pid ${stopped.pid}, ${stopped.how === 'killed' ? 'SIGKILL' : 'SIGTERM'}, ${seconds(stopped.ms)})`,
    );
  await Promise.all([
    stopQuorum(nodes, {
      voters: profile.brokers,
      graceMs: stopGraceMs,
      quorumLostGraceMs,
    }).then((stopped) => {
      for (const server of nodes) report(server.name, stopped.get(server.name));
    }),
    ...registry.map(async (server) =>
      report(server.name, await stopServer(server, stopGraceMs)),
    ),
  ]);
  const busy = await portsStillTaken(servers);
  if (busy.length > 0) throw new ClusterStackError(busy.join('\n'));
}

/**
 * Stops the profile's servers (by pid file): SIGTERM; SIGKILL after 30 s, or for Kafka nodes 8 s
 * after fewer than a majority of them are left. Harmless when nothing runs.
 */
export async function clusterDown(
  options: ClusterCommandOptions,
): Promise<void> {
  const { profile, paths, log } = prepareCommand(options);
  await withProfileLock(paths, log, () => bringDown(profile, paths, log));
}

export interface ClusterResetOptions extends ClusterCommandOptions {
  /** Must be true: the reset deletes the profile's topics and registered schemas. */
  yes: boolean;
}

/**
 * Stops the profile, deletes its Kafka data (a new cluster next time) and drops its registry
 * database. Passwords, certificates and the token key stay, so client settings keep working.
 */
export async function clusterReset(
  options: ClusterResetOptions,
): Promise<void> {
  if (!options.yes) {
    throw new ResetNotConfirmedError(
      'reset deletes all Kafka topics and messages and every registered schema of the profile; run it again with --yes to confirm',
    );
  }
  const { profile, paths, log } = prepareCommand(options);
  await withProfileLock(paths, log, async () => {
    await bringDown(profile, paths, log);
    rmSync(paths.data, { recursive: true, force: true });
    ensureProfileDirs(paths);
    log(`kafka     data deleted (${paths.data})`);
    const postgres = profilePostgres(profile, options.env);
    // The embedded PostgreSQL may be down: the database is dropped where it lives.
    await postgresUp(postgres, stackPaths(), log, []);
    await dropDatabase(postgres, postgres.registryDatabase);
    log(`registry  database ${postgres.registryDatabase} dropped`);
  });
}
