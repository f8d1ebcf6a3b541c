import { sleep } from '../net';
import { isAlive, removePidFile, signalGroup } from '../processes';
import { type ClusterAccess, clusterAccess } from './cluster-access';
import { brokerServer } from './cluster-servers';
import { kafkaRuntime, startBrokerProcess } from './launch';
import { nodeLaunch } from './kafka-nodes';
import { withAdmin } from './probes';
import type { ProfilePaths } from './profile-paths';
import { resolveClusterProfile } from './profile-store';
import {
  brokerList,
  type ClusterProfile,
  type ClusterSelection,
  kafkaNodes,
  secureCluster,
} from './profile';
import { loadSecurityMaterial } from './security-material';
import { runningPid, stopServer, waitForServer } from './server-control';

/*
 * Operating one node of a running cluster profile, for the end-to-end tests (kill a broker under
 * load, bring it back, wait until it has caught up). The profile defaults to the secured
 * three-broker cluster; its ports are those of its last `up`.
 */

export interface BrokerOptions {
  /** Default `{ brokers: 3, secure: true }`. */
  selection?: ClusterSelection;
  /** How long to wait; default 90 s. */
  timeoutMs?: number;
}

function context(selection: ClusterSelection = secureCluster) {
  return resolveClusterProfile(selection);
}

function accessOf(profile: ClusterProfile, paths: ProfilePaths): ClusterAccess {
  return clusterAccess(
    profile,
    profile.secure ? loadSecurityMaterial(profile, paths) : undefined,
  );
}

/** The pid of every node (undefined when that node is not running), by node id. */
export function brokerPids(
  selection: ClusterSelection = secureCluster,
): Map<number, number | undefined> {
  const { profile, paths } = context(selection);
  return new Map(
    kafkaNodes(profile).map(({ nodeId }) => [
      nodeId,
      runningPid(brokerServer(profile, paths, nodeId)),
    ]),
  );
}

/** `kill -9` of one node (its whole process group); resolves with its pid once it is gone. */
export async function killBroker(
  nodeId: number,
  options: BrokerOptions = {},
): Promise<number> {
  const { profile, paths } = context(options.selection);
  const node = brokerServer(profile, paths, nodeId);
  const pid = runningPid(node);
  if (pid === undefined)
    throw new Error(`Kafka node ${nodeId} of ${profile.id} is not running`);
  signalGroup(pid, 'SIGKILL');
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (isAlive(pid)) {
    if (Date.now() > deadline)
      throw new Error(`Kafka node ${nodeId} (pid ${pid}) survived SIGKILL`);
    await sleep(50);
  }
  removePidFile(node.pidFile);
  return pid;
}

/** A controlled stop of one node (SIGTERM): leadership moves away first. Resolves when it exited. */
export async function stopBroker(
  nodeId: number,
  options: BrokerOptions = {},
): Promise<number | undefined> {
  const { profile, paths } = context(options.selection);
  const stopped = await stopServer(
    brokerServer(profile, paths, nodeId),
    options.timeoutMs ?? 30_000,
  );
  return stopped?.pid;
}

/**
 * Starts a stopped node with the properties of the last `up` and resolves with its pid once it
 * answers over its client listener and is registered with the controller. A running node is left
 * alone (its pid is returned).
 */
export async function startBroker(
  nodeId: number,
  options: BrokerOptions = {},
): Promise<number> {
  const { profile, paths } = context(options.selection);
  const node = brokerServer(
    profile,
    paths,
    nodeId,
    options.timeoutMs ?? 90_000,
  );
  const access = accessOf(profile, paths);
  let pid = runningPid(node);
  if (pid === undefined) {
    const { java, libDir } = await kafkaRuntime(() => undefined);
    const launch = nodeLaunch(
      java,
      libDir,
      paths.nodeProperties(nodeId),
      nodeId,
    );
    pid = startBrokerProcess(node, launch, paths);
  }
  await waitForServer(node, pid, access);
  return pid;
}

export interface IsrOptions extends BrokerOptions {
  /** Only these topics; default every topic (internal ones included). */
  topics?: readonly string[];
}

/**
 * Resolves once node `nodeId` is in the ISR of every partition it holds a replica of (in `topics`,
 * or all topics): after a restart, when it has caught up and acks=all writes count it again.
 */
export async function waitForBrokerInIsr(
  nodeId: number,
  options: IsrOptions = {},
): Promise<void> {
  const { profile, paths } = context(options.selection);
  const connection = accessOf(profile, paths).kafka(brokerList(profile));
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let lagging: string[] = [];
  for (;;) {
    try {
      lagging = await withAdmin(connection, 'isr', async (admin) => {
        const topics = options.topics ?? (await admin.listTopics());
        const metadata = await admin.fetchTopicMetadata({
          topics: [...topics],
        });
        return metadata.topics.flatMap(({ name, partitions }) =>
          partitions
            .filter(
              (partition) =>
                partition.replicas.includes(nodeId) &&
                !partition.isr.includes(nodeId),
            )
            .map((partition) => `${name}-${partition.partitionId}`),
        );
      });
      if (lagging.length === 0) return;
    } catch (error) {
      lagging = [`(metadata failed: ${(error as Error).message})`];
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Kafka node ${nodeId} is not in the ISR of ${lagging.slice(0, 10).join(', ')}${lagging.length > 10 ? ` and ${lagging.length - 10} more` : ''} after ${Math.round((options.timeoutMs ?? 90_000) / 1000)} s`,
      );
    }
    await sleep(500);
  }
}
