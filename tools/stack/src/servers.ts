import { join } from 'node:path';
import {
  type HostPort,
  type StackConfig,
  stackDefaults,
  stackEnvNames,
} from './config';
import { describeKafkaCluster } from './kafka';
import { isPortAnswering } from './net';
import type { StackPaths } from './paths';
import { isOurProcess, readPidFile } from './processes';
import { listRegistrySubjects } from './registry';

/** The servers the stack runs on Java; PostgreSQL is handled apart (stack-postgres.ts). */
export type JavaServerName = 'kafka' | 'registry';

export const javaServerNames: readonly JavaServerName[] = ['kafka', 'registry'];

export interface ReadyTimeouts {
  kafkaReadyTimeoutMs?: number;
  registryReadyTimeoutMs?: number;
}

export interface ManagedServer {
  name: JavaServerName;
  title: string;
  url: string;
  /** The port clients use first, then any other port the server listens on. */
  ports: HostPort[];
  /** Part of the server's command line that only this checkout's stack produces. */
  marker: string;
  envName: string;
  pidFile: string;
  logFile: string;
  readyTimeoutMs: number;
  probe: () => Promise<unknown>;
}

export function managedServers(
  config: StackConfig,
  paths: StackPaths,
  options: ReadyTimeouts,
): ManagedServer[] {
  const { kafka, registry } = config;
  return [
    {
      name: 'kafka',
      title: `Kafka ${stackDefaults.versions.kafka}`,
      url: `${kafka.listener.host}:${kafka.listener.port}`,
      ports: [
        kafka.listener,
        { host: kafka.listener.host, port: kafka.controllerPort },
      ],
      marker: paths.kafkaProperties,
      envName: stackEnvNames.kafkaBrokers,
      pidFile: paths.pidFile('kafka'),
      logFile: paths.logFile('kafka'),
      readyTimeoutMs: options.kafkaReadyTimeoutMs ?? 60_000,
      probe: () => describeKafkaCluster(kafka),
    },
    {
      name: 'registry',
      title: `Apicurio Registry ${stackDefaults.versions.registry}`,
      url: registry.url,
      ports: [
        registry.listener,
        { host: registry.listener.host, port: registry.managementPort },
      ],
      marker: join(
        paths.cache,
        `apicurio-registry-${stackDefaults.versions.registry}`,
      ),
      envName: stackEnvNames.schemaRegistryUrl,
      pidFile: paths.pidFile('registry'),
      logFile: paths.logFile('registry'),
      readyTimeoutMs: options.registryReadyTimeoutMs ?? 90_000,
      probe: () => listRegistrySubjects(registry),
    },
  ];
}

export type Observation =
  | { state: 'running' | 'starting'; pid: number }
  | { state: 'running-elsewhere'; pid: number; url: string }
  | { state: 'stopped' }
  | { state: 'port-taken'; port: HostPort };

async function anyPortAnswering(
  ports: HostPort[],
): Promise<HostPort | undefined> {
  for (const port of ports) {
    if (await isPortAnswering(port.host, port.port)) return port;
  }
  return undefined;
}

/** Ours = a live PID from our PID file running our command line; the main port tells running from starting. */
export async function observe(
  server: Pick<ManagedServer, 'pidFile' | 'marker' | 'url' | 'ports'>,
): Promise<Observation> {
  const record = readPidFile(server.pidFile);
  if (record !== undefined && isOurProcess(record.pid, server.marker)) {
    const { pid, url } = record;
    if (url !== '' && url !== server.url)
      return { state: 'running-elsewhere', pid, url };
    const [main] = server.ports;
    return {
      state: (await isPortAnswering(main.host, main.port))
        ? 'running'
        : 'starting',
      pid,
    };
  }
  const taken = await anyPortAnswering(server.ports);
  return taken === undefined
    ? { state: 'stopped' }
    : { state: 'port-taken', port: taken };
}
