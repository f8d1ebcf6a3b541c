import type { PostgresConfig } from '../config';
import { stackPaths } from '../paths';
import { type Observation, observe } from '../servers';
import { postgresUp } from '../stack-postgres';
import { type ClusterAccess, clusterAccess } from './cluster-access';
import {
  type ClusterCommandOptions,
  ClusterStackError,
  flagsOf,
  prepareCommand,
  profilePostgres,
  seconds,
  withProfileLock,
} from './cluster-command';
import {
  type ClusterReadyTimeouts,
  type ClusterServer,
  clusterServers,
} from './cluster-servers';
import { isFormatted, prepareKafkaNodes, type ScramUser } from './kafka-nodes';
import {
  kafkaRuntime,
  type Log,
  nodeSecurity,
  startBrokerProcess,
  startRegistryProcess,
} from './launch';
import { type ProfileFiles, writeProfileFiles } from './profile-files';
import type { ProfilePaths } from './profile-paths';
import { saveProfile } from './profile-store';
import { type ClusterProfile, kafkaNodes } from './profile';
import { clusterUsers } from './secrets';
import {
  prepareSecurityMaterial,
  type SecurityMaterial,
} from './security-material';
import { failureReport, stopServer, waitForServer } from './server-control';

export interface ClusterUpOptions
  extends ClusterCommandOptions,
    ClusterReadyTimeouts {}

export interface ClusterUpResult extends ProfileFiles {
  /** The servers this call started (`kafka-1`, …, `registry`). */
  started: string[];
}

function conflictsOf(
  servers: readonly ClusterServer[],
  observations: readonly Observation[],
  profile: ClusterProfile,
): string[] {
  return servers.flatMap((server, index) => {
    const observation = observations[index];
    if (observation.state === 'port-taken') {
      return [
        `${server.name}: ${observation.port.host}:${observation.port.port} is in use by a process this stack did not start. ` +
          'Stop that process, or choose other ports with --kafka-port / --registry-port.',
      ];
    }
    if (observation.state === 'running-elsewhere') {
      return [
        `${server.name}: already running (pid ${observation.pid}) at ${observation.url}, not ${server.url}. ` +
          `Run \`npm run stack:down -- ${flagsOf(profile)}\` first to restart it on the new ports.`,
      ];
    }
    return [];
  });
}

/** A secure profile's keys and passwords (made the first time), or undefined for a plain one. */
async function securityOf(
  profile: ClusterProfile,
  paths: ProfilePaths,
  log: Log,
): Promise<SecurityMaterial | undefined> {
  if (!profile.secure) return undefined;
  const formatted = kafkaNodes(profile).some(({ nodeId }) =>
    isFormatted(paths, nodeId),
  );
  const material = await prepareSecurityMaterial(profile, paths, formatted);
  if (material.created.length > 0)
    log(`security  created ${material.created.join(', ')} in ${paths.dir}`);
  return material;
}

function scramUsersOf(material: SecurityMaterial | undefined): ScramUser[] {
  if (material === undefined) return [];
  return [
    {
      name: clusterUsers.kafkaAdmin,
      password: material.secrets.kafkaAdminPassword,
    },
    { name: clusterUsers.app, password: material.secrets.kafkaAppPassword },
  ];
}

/** Formats what is new and starts the given nodes; returns their pids by server name. */
async function startNodes(
  profile: ClusterProfile,
  paths: ProfilePaths,
  nodes: readonly ClusterServer[],
  material: SecurityMaterial | undefined,
  log: Log,
): Promise<Map<string, number>> {
  const pids = new Map<string, number>();
  if (nodes.length === 0) return pids;
  const { java, libDir } = await kafkaRuntime(log);
  const formatStart = Date.now();
  const prepared = await prepareKafkaNodes({
    profile,
    paths,
    java,
    libDir,
    ...(material === undefined ? {} : { security: nodeSecurity(material) }),
    scramUsers: scramUsersOf(material),
  });
  if (prepared.formatted.length > 0)
    log(
      `kafka     formatted node(s) ${prepared.formatted.join(', ')} in ${seconds(Date.now() - formatStart)} (${paths.data})`,
    );
  for (const server of nodes) {
    const launch = prepared.launches.find(
      (candidate) => candidate.nodeId === server.nodeId,
    );
    if (launch === undefined) continue;
    const pid = startBrokerProcess(server, launch, paths);
    pids.set(server.name, pid);
    log(`${server.name.padEnd(9)} started (pid ${pid}), log ${server.logFile}`);
  }
  return pids;
}

/** Waits for every server; on any failure stops what this call started and reports each failure. */
async function awaitReady(
  servers: readonly ClusterServer[],
  pids: ReadonlyMap<string, number>,
  started: readonly string[],
  access: ClusterAccess,
  log: Log,
): Promise<void> {
  const waitStart = Date.now();
  const results = await Promise.allSettled(
    servers.map(async (server) => {
      await waitForServer(server, pids.get(server.name) as number, access);
      log(
        `${server.name.padEnd(9)} ready after ${seconds(Date.now() - waitStart)}`,
      );
    }),
  );
  const failures = results.flatMap((result, index) =>
    result.status === 'rejected'
      ? [failureReport(servers[index], result.reason)]
      : [],
  );
  if (failures.length === 0) return;
  // Servers that never became ready are of no use and would block the next `up` on their ports.
  await Promise.all(
    servers
      .filter((server) => started.includes(server.name))
      .map((server) => stopServer(server, 5_000)),
  );
  throw new ClusterStackError(failures.join('\n\n'));
}

/** On the default stack's PostgreSQL, which may be its embedded one: started here when needed. */
async function ensureRegistryDatabase(
  postgres: PostgresConfig,
  log: Log,
): Promise<void> {
  await postgresUp(postgres, stackPaths(), log, [
    postgres.database,
    postgres.registryDatabase,
  ]);
}

/**
 * Starts the profile's Kafka nodes and registry unless they already run (formatting new nodes,
 * and for a secure profile making its CA, certificates and passwords first), waits until each
 * answers an authenticated request, then writes client.env (and a fresh registry token).
 */
export async function clusterUp(
  options: ClusterUpOptions,
): Promise<ClusterUpResult> {
  const { profile, paths, log } = prepareCommand(options);
  return withProfileLock(paths, log, async () => {
    const began = Date.now();
    const servers = clusterServers(profile, paths, options);
    const observations = await Promise.all(servers.map(observe));
    const conflicts = conflictsOf(servers, observations, profile);
    if (conflicts.length > 0) throw new ClusterStackError(conflicts.join('\n'));

    const postgres = profilePostgres(profile, options.env);
    await ensureRegistryDatabase(postgres, log);
    const material = await securityOf(profile, paths, log);
    saveProfile(paths, profile);

    const pids = new Map<string, number>();
    for (const [index, server] of servers.entries()) {
      const observation = observations[index];
      if (observation.state === 'running' || observation.state === 'starting') {
        pids.set(server.name, observation.pid);
        log(
          `${server.name.padEnd(9)} already ${observation.state} (pid ${observation.pid})`,
        );
      }
    }
    const stopped = servers.filter(
      (_, index) => observations[index].state === 'stopped',
    );
    const nodePids = await startNodes(
      profile,
      paths,
      stopped.filter((server) => server.nodeId !== undefined),
      material,
      log,
    );
    for (const [name, pid] of nodePids) pids.set(name, pid);
    const registry = stopped.find((server) => server.nodeId === undefined);
    if (registry !== undefined) {
      const pid = await startRegistryProcess(
        profile,
        paths,
        registry,
        postgres,
        material,
        log,
      );
      pids.set(registry.name, pid);
      log(
        `${registry.name.padEnd(9)} started (pid ${pid}), log ${registry.logFile}`,
      );
    }
    const started = stopped
      .map((server) => server.name)
      .filter((name) => pids.has(name));

    await awaitReady(
      servers,
      pids,
      started,
      clusterAccess(profile, material),
      log,
    );
    log('');
    log(`stack ${profile.id} is up (${seconds(Date.now() - began)}):`);
    return { ...writeProfileFiles(profile, paths, material, log), started };
  });
}

/**
 * The profile's files without starting anything: passwords, CA and certificates, client.env, a
 * registry token and compose.env (for docker-compose's `cluster` profile, which uses the same ones).
 */
export async function clusterPrepare(
  options: ClusterCommandOptions,
): Promise<ProfileFiles> {
  const { profile, paths, log } = prepareCommand(options);
  return withProfileLock(paths, log, async () => {
    const material = await securityOf(profile, paths, log);
    saveProfile(paths, profile);
    log(`stack ${profile.id} prepared (nothing started):`);
    return writeProfileFiles(profile, paths, material, log);
  });
}
