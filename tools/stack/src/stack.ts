import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackConfig, type StackConfig, stackEnvNames } from './config';
import { ensureKafkaJars, ensureRegistryApp } from './downloads';
import { findJava } from './java';
import { prepareKafka } from './kafka';
import { withLock } from './lock';
import { isPortAnswering, sleep } from './net';
import {
  failureReport,
  isOurProcess,
  readPidFile,
  removePidFile,
  startDetached,
  stopProcessGroup,
  waitForStartedServer,
} from './processes';
import { registryEnv, registryJvmArgs } from './registry-args';
import { ensureStackDirs, type StackPaths, stackPaths } from './paths';
import {
  type JavaServerName,
  javaServerNames,
  type ManagedServer,
  managedServers,
  observe,
  type ReadyTimeouts,
} from './servers';
import {
  postgresDown,
  postgresReset,
  postgresStatus,
  postgresUp,
} from './stack-postgres';

/** What the stack starts and stops: PostgreSQL only when it runs its embedded one. */
export type ManagedServerName = JavaServerName | 'postgres';

export const managedServerNames: readonly ManagedServerName[] = [
  'postgres',
  ...javaServerNames,
];

export type ServerName = ManagedServerName;

export type Log = (message: string) => void;

export interface StackCommandOptions {
  /** Where KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL are read from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines; default console.log. */
  log?: Log;
}

export interface StackUpOptions extends StackCommandOptions, ReadyTimeouts {}

export interface StackUpResult {
  /** The servers this call started; servers that were already running are not listed. */
  started: ManagedServerName[];
}

export interface StackDownOptions extends StackCommandOptions {
  /** Only these servers (e.g. the `started` list of `stackUp`); default all the stack manages. */
  servers?: readonly ManagedServerName[];
}

export interface ServerStatus {
  name: ServerName;
  state: 'running' | 'starting' | 'stopped' | 'port-taken';
  pid?: number;
  url: string;
  /** False for a PostgreSQL server the stack did not start (DATABASE_URL's, or one already running). */
  managed: boolean;
  /** For PostgreSQL: which server is in use. */
  detail?: string;
}

export class StackError extends Error {
  override readonly name = 'StackError';
}

export class ResetNotConfirmedError extends StackError {}

function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}

function secondsSince(start: number): string {
  return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}

function prepareCommand(options: StackCommandOptions) {
  const config = loadStackConfig(options.env);
  const paths = stackPaths();
  ensureStackDirs(paths);
  return {
    config,
    paths,
    log: options.log ?? ((message: string) => console.log(message)),
  };
}

async function launch(
  server: ManagedServer,
  config: StackConfig,
  paths: StackPaths,
  log: Log,
): Promise<number> {
  if (server.name === 'kafka') {
    const java = findJava(17, server.title);
    const { dir: libDir, downloaded } = await ensureKafkaJars(paths, () =>
      log(`kafka     downloading ${server.title} with mvn (once)…`),
    );
    if (downloaded) log(`kafka     cached in ${libDir}`);
    const start = await prepareKafka(paths, config.kafka, java, libDir);
    if (start.formatted)
      log(
        `kafka     formatted a new single-node cluster in ${paths.kafkaLogDir}`,
      );
    return startDetached({
      ...start,
      cwd: paths.root,
      logFile: server.logFile,
      pidFile: server.pidFile,
      url: server.url,
    });
  }
  const java = findJava(21, server.title);
  const { dir: appDir, downloaded } = await ensureRegistryApp(paths, () =>
    log(`registry  downloading ${server.title} with mvn (once)…`),
  );
  if (downloaded) log(`registry  cached in ${appDir}`);
  return startDetached({
    command: java.path,
    args: registryJvmArgs({
      registry: config.registry,
      postgres: config.postgres,
      quarkusRunJar: join(appDir, 'quarkus-run.jar'),
    }),
    env: registryEnv(config.postgres),
    cwd: paths.root,
    logFile: server.logFile,
    pidFile: server.pidFile,
    url: server.url,
  });
}

async function waitForServer(
  server: ManagedServer,
  pid: number,
  since: number,
  log: Log,
): Promise<void> {
  await waitForStartedServer(server, pid, server.probe);
  log(`${server.name.padEnd(9)} ready after ${secondsSince(since)}`);
}

/**
 * Starts Kafka and the schema registry unless they already run; uses DATABASE_URL's PostgreSQL, or
 * the one answering on the default address, or starts the embedded one there; creates the app and
 * registry databases; returns once each server has answered a real request.
 */
export async function stackUp(
  options: StackUpOptions = {},
): Promise<StackUpResult> {
  const { config, paths, log } = prepareCommand(options);
  return withLock(paths.lockFile, log, async () => {
    const began = Date.now();
    const { postgres } = config;
    const database = await postgresUp(postgres, paths, log, [
      postgres.database,
      postgres.registryDatabase,
    ]);
    const servers = managedServers(config, paths, options);
    const observations = await Promise.all(servers.map(observe));

    const conflicts = servers.flatMap((server, index) => {
      const observation = observations[index];
      if (observation.state === 'port-taken') {
        return [
          `${server.name}: ${observation.port.host}:${observation.port.port} is in use by a process this stack did not start ` +
            `(no live process from ${server.pidFile}). Stop that process, or point ${server.envName} at a free address.`,
        ];
      }
      if (observation.state === 'running-elsewhere') {
        return [
          `${server.name}: already running (pid ${observation.pid}) at ${observation.url}, but ${server.envName} now asks for ${server.url}. ` +
            'Run `npm run stack:down` first to restart it on the new address.',
        ];
      }
      return [];
    });
    if (conflicts.length > 0) throw new StackError(conflicts.join('\n'));

    const pids = new Map<JavaServerName, number>();
    const started: ManagedServerName[] = database.started ? ['postgres'] : [];
    for (const [index, server] of servers.entries()) {
      const observation = observations[index];
      if (observation.state === 'stopped') {
        removePidFile(server.pidFile);
        pids.set(server.name, await launch(server, config, paths, log));
        started.push(server.name);
        log(
          `${server.name.padEnd(9)} started (pid ${pids.get(server.name)}), log ${server.logFile}`,
        );
      } else if (
        observation.state === 'running' ||
        observation.state === 'starting'
      ) {
        pids.set(server.name, observation.pid);
        log(
          `${server.name.padEnd(9)} already ${observation.state} (pid ${observation.pid})`,
        );
      }
    }

    const waitStart = Date.now();
    const results = await Promise.allSettled(
      servers.map((server) =>
        waitForServer(server, pids.get(server.name) as number, waitStart, log),
      ),
    );
    const failures: string[] = [];
    for (const [index, result] of results.entries()) {
      if (result.status === 'fulfilled') continue;
      const server = servers[index];
      failures.push(failureReport(server, result.reason));
      if (started.includes(server.name)) {
        // A server that never became ready is of no use and would block the next `up` on its ports.
        await stopProcessGroup(pids.get(server.name) as number, 5_000);
        removePidFile(server.pidFile);
      }
    }
    if (failures.length > 0) throw new StackError(failures.join('\n\n'));

    log('');
    log(`stack is up (${secondsSince(began)}):`);
    log(`  ${stackEnvNames.kafkaBrokers}=${config.kafka.brokers.join(',')}`);
    log(`  ${stackEnvNames.schemaRegistryUrl}=${config.registry.url}`);
    log(
      `  ${stackEnvNames.databaseUrl}=${redactUrl(postgres.url)}  (${database.description})`,
    );
    return { started };
  });
}

async function bringDown(
  config: StackConfig,
  paths: StackPaths,
  log: Log,
  names: readonly ManagedServerName[],
): Promise<void> {
  const servers = managedServers(config, paths, {}).filter((server) =>
    names.includes(server.name),
  );
  try {
    await stopJavaServers(servers, log);
  } finally {
    // After the registry, which keeps its data there.
    if (names.includes('postgres'))
      await postgresDown(config.postgres, paths, log);
  }
}

async function stopJavaServers(
  servers: readonly ManagedServer[],
  log: Log,
): Promise<void> {
  await Promise.all(
    servers.map(async (server) => {
      const pid = readPidFile(server.pidFile)?.pid;
      if (pid !== undefined && isOurProcess(pid, server.marker)) {
        const stopStart = Date.now();
        const how = await stopProcessGroup(pid, 20_000);
        log(
          `${server.name.padEnd(9)} stopped (pid ${pid}, ${how === 'killed' ? 'SIGKILL after 20 s' : 'SIGTERM'}, ${secondsSince(stopStart)})`,
        );
      } else {
        log(`${server.name.padEnd(9)} not running`);
      }
      removePidFile(server.pidFile);
    }),
  );
  const busy: string[] = [];
  for (const server of servers) {
    for (const port of server.ports) {
      // A socket can take a moment to close after its process has gone.
      const deadline = Date.now() + 3_000;
      let answering = await isPortAnswering(port.host, port.port);
      while (answering && Date.now() < deadline) {
        await sleep(200);
        answering = await isPortAnswering(port.host, port.port);
      }
      if (answering)
        busy.push(
          `${server.name}: ${port.host}:${port.port} is still in use by a process this stack did not start`,
        );
    }
  }
  if (busy.length > 0) throw new StackError(busy.join('\n'));
}

/** Stops what `stackUp` started (by PID file): SIGTERM, up to 20 s, then SIGKILL. Harmless when nothing runs. */
export async function stackDown(options: StackDownOptions = {}): Promise<void> {
  const { config, paths, log } = prepareCommand(options);
  await withLock(paths.lockFile, log, () =>
    bringDown(config, paths, log, options.servers ?? managedServerNames),
  );
}

/** One entry per server: kafka, registry, postgres (saying which PostgreSQL is in use). */
export async function stackStatus(
  options: Pick<StackCommandOptions, 'env'> = {},
): Promise<ServerStatus[]> {
  const config = loadStackConfig(options.env);
  const paths = stackPaths();
  const servers = managedServers(config, paths, {});
  const managed = await Promise.all(
    servers.map(async (server): Promise<ServerStatus> => {
      const observation = await observe(server);
      if (observation.state === 'running-elsewhere') {
        return {
          name: server.name,
          state: 'running',
          pid: observation.pid,
          url: observation.url,
          managed: true,
        };
      }
      return {
        name: server.name,
        state: observation.state,
        pid: 'pid' in observation ? observation.pid : undefined,
        url: server.url,
        managed: true,
      };
    }),
  );
  const postgres = await postgresStatus(
    config.postgres,
    paths,
    redactUrl(config.postgres.url),
  );
  return [...managed, postgres];
}

export interface StackResetOptions extends StackCommandOptions {
  /** Must be true: the reset deletes every Kafka topic, every registered schema and the embedded PostgreSQL's data. */
  yes: boolean;
}

/**
 * Stops the stack and deletes Kafka's data (a new cluster id next time) and the embedded PostgreSQL's
 * data; on a PostgreSQL server the stack did not start, it drops the registry's database only.
 */
export async function stackReset(options: StackResetOptions): Promise<void> {
  if (!options.yes) {
    throw new ResetNotConfirmedError(
      "reset deletes all Kafka topics and messages, every registered schema and the embedded PostgreSQL's data (the app database too); run it again with --yes to confirm",
    );
  }
  const { config, paths, log } = prepareCommand(options);
  await withLock(paths.lockFile, log, async () => {
    await bringDown(config, paths, log, managedServerNames);
    rmSync(paths.kafkaData, { recursive: true, force: true });
    log(`kafka     data deleted (${paths.kafkaData})`);
    await postgresReset(config.postgres, paths, log);
  });
}
