import type { HostPort } from '../config';
import { stackDefaults } from '../config';
import type { ClusterAccess } from './cluster-access';
import { probeBroker, probeRegistry } from './probes';
import type { ProfilePaths } from './profile-paths';
import {
  type ClusterProfile,
  clusterHost,
  kafkaNode,
  kafkaNodes,
  registryManagementPort,
  registryUrl,
} from './profile';
import { kafkaServerName, registryServerName } from './security-material';

export interface ClusterServer {
  /** `kafka-<node id>` or `registry`: names its pid and log files. */
  name: string;
  title: string;
  url: string;
  /** The port clients use first, then any other port the server listens on. */
  ports: HostPort[];
  /** Part of the command line that only this profile's server has (its own config file's path). */
  marker: string;
  pidFile: string;
  logFile: string;
  readyTimeoutMs: number;
  /** One real request with the stack's credentials: resolves once the server is ready. */
  probe: (access: ClusterAccess) => Promise<unknown>;
  /** Set for Kafka nodes. */
  nodeId?: number;
}

export interface ClusterReadyTimeouts {
  kafkaReadyTimeoutMs?: number;
  registryReadyTimeoutMs?: number;
}

export function brokerServer(
  profile: ClusterProfile,
  paths: ProfilePaths,
  nodeId: number,
  readyTimeoutMs = 90_000,
): ClusterServer {
  const node = kafkaNode(profile, nodeId);
  const name = kafkaServerName(nodeId);
  const address = `${node.host}:${node.port}`;
  return {
    name,
    nodeId,
    title: `Kafka ${stackDefaults.versions.kafka} node ${nodeId}`,
    url: address,
    ports: [
      { host: node.host, port: node.port },
      { host: node.host, port: node.controllerPort },
    ],
    marker: paths.nodeProperties(nodeId),
    pidFile: paths.pidFile(name),
    logFile: paths.logFile(name),
    readyTimeoutMs,
    probe: (access) => probeBroker(access.kafka([address]), nodeId),
  };
}

export function registryServer(
  profile: ClusterProfile,
  paths: ProfilePaths,
  readyTimeoutMs = 90_000,
): ClusterServer {
  return {
    name: registryServerName,
    title: `Apicurio Registry ${stackDefaults.versions.registry}`,
    url: registryUrl(profile, stackDefaults.registryApiPath),
    ports: [
      { host: clusterHost, port: profile.ports.registry },
      { host: clusterHost, port: registryManagementPort(profile.ports) },
    ],
    marker: paths.registryConfig,
    pidFile: paths.pidFile(registryServerName),
    logFile: paths.logFile(registryServerName),
    readyTimeoutMs,
    probe: (access) => probeRegistry(access.registry),
  };
}

/** Every server of the profile: its Kafka nodes in order, then the registry. */
export function clusterServers(
  profile: ClusterProfile,
  paths: ProfilePaths,
  timeouts: ClusterReadyTimeouts = {},
): ClusterServer[] {
  return [
    ...kafkaNodes(profile).map(({ nodeId }) =>
      brokerServer(profile, paths, nodeId, timeouts.kafkaReadyTimeoutMs),
    ),
    registryServer(profile, paths, timeouts.registryReadyTimeoutMs),
  ];
}
