import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JavaRuntime } from '../java';
import { runCommand } from '../run-command';
import {
  type NodeSecurity,
  renderClusterNodeProperties,
  scramMechanism,
} from './node-properties';
import { writePrivateFile } from './private-files';
import type { ProfilePaths } from './profile-paths';
import { type ClusterProfile, kafkaNodes } from './profile';

export interface ScramUser {
  name: string;
  password: string;
}

export interface NodeLaunch {
  nodeId: number;
  command: string;
  args: string[];
}

export interface KafkaNodesRequest {
  profile: ClusterProfile;
  paths: ProfilePaths;
  java: JavaRuntime;
  libDir: string;
  /** Per node; absent for a plain cluster. */
  security?: (nodeId: number) => NodeSecurity;
  /** Written into the metadata when a node is formatted (the brokers' own user among them). */
  scramUsers: readonly ScramUser[];
}

/** One `--add-scram` per user; the password alphabet (letters, digits) keeps the format's parser happy. */
export function scramArguments(users: readonly ScramUser[]): string[] {
  return users.flatMap(({ name, password }) => [
    '--add-scram',
    `${scramMechanism}=[name=${name},password=${password}]`,
  ]);
}

/** A Kafka cluster id (base64url of 16 random bytes, as StorageTool makes them) without a JVM start. */
export function newClusterId(random: () => Buffer = () => randomBytes(16)) {
  for (;;) {
    const id = random().toString('base64url');
    // StorageTool rejects ids it would parse as an option.
    if (!id.startsWith('-')) return id;
  }
}

function ensureClusterId(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const clusterId = newClusterId();
  writePrivateFile(file, `${clusterId}\n`);
  return clusterId;
}

export function isFormatted(paths: ProfilePaths, nodeId: number): boolean {
  return existsSync(join(paths.nodeLogDir(nodeId), 'meta.properties'));
}

export function writeNodeProperties(
  request: Omit<KafkaNodesRequest, 'java' | 'libDir' | 'scramUsers'>,
  nodeId: number,
): string {
  const { profile, paths, security } = request;
  const nodes = kafkaNodes(profile);
  const node = nodes[nodeId - 1];
  const file = paths.nodeProperties(nodeId);
  // 0600: a secure node's file holds the inter-broker password.
  writePrivateFile(
    file,
    renderClusterNodeProperties({
      node,
      nodes,
      logDir: paths.nodeLogDir(nodeId),
      ...(security === undefined ? {} : { security: security(nodeId) }),
    }),
  );
  return file;
}

/**
 * Several JVMs start at once on a small machine: without the optimising JIT (C2) and with the
 * serial collector a node starts in about a third of the time, and a local cluster never needs
 * C2's peak throughput.
 */
export const lightJvmOptions = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export function nodeLaunch(
  java: JavaRuntime,
  libDir: string,
  propertiesFile: string,
  nodeId: number,
): NodeLaunch {
  return {
    nodeId,
    command: java.path,
    args: [
      '-Xmx384m',
      ...lightJvmOptions,
      // Failover tests read the nodes' logs side by side: timestamps make them comparable.
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
      '-cp',
      join(libDir, '*'),
      'kafka.Kafka',
      propertiesFile,
    ],
  };
}

/**
 * Writes every node's properties and formats the nodes not yet formatted (all with the same
 * cluster id and SCRAM users), in parallel. Returns how to start each node and which were formatted.
 */
export async function prepareKafkaNodes(
  request: KafkaNodesRequest,
): Promise<{ launches: NodeLaunch[]; formatted: number[] }> {
  const { profile, paths, java, libDir, scramUsers } = request;
  const nodeIds = kafkaNodes(profile).map((node) => node.nodeId);
  const files = nodeIds.map((nodeId) => writeNodeProperties(request, nodeId));
  const unformatted = nodeIds.filter((nodeId) => !isFormatted(paths, nodeId));
  if (unformatted.length > 0) {
    const clusterId = ensureClusterId(paths.clusterIdFile);
    await Promise.all(
      unformatted.map((nodeId) =>
        runCommand(
          java.path,
          [
            ...lightJvmOptions,
            '-cp',
            join(libDir, '*'),
            'kafka.tools.StorageTool',
            'format',
            '-t',
            clusterId,
            '-c',
            files[nodeId - 1],
            ...scramArguments(scramUsers),
          ],
          {
            what: `Formatting the storage of Kafka node ${nodeId}`,
            redact: scramUsers.map((user) => user.password),
          },
        ),
      ),
    );
  }
  return {
    launches: nodeIds.map((nodeId) =>
      nodeLaunch(java, libDir, files[nodeId - 1], nodeId),
    ),
    formatted: unformatted,
  };
}
