/** What `--brokers N` and `--secure` select. `{ brokers: 1, secure: false }` is the default stack. */
export interface ClusterSelection {
  brokers: number;
  secure: boolean;
}

/** The ports a profile's clients use; every other port derives from these two. */
export interface ClusterPorts {
  /** Node 1's client listener; node i listens on kafka + i - 1, its controller on kafka + 100 + i - 1. */
  kafka: number;
  /** The registry's API (https when secure); its management port is this + 1000. */
  registry: number;
}

export interface ClusterProfile extends ClusterSelection {
  /** e.g. `secure-3`: names its folder under .stack/ and its registry database. */
  id: string;
  ports: ClusterPorts;
}

export interface KafkaNodeAddress {
  nodeId: number;
  host: string;
  port: number;
  controllerPort: number;
}

/** The secured three-broker cluster the end-to-end tests run against. */
export const secureCluster: ClusterSelection = { brokers: 3, secure: true };

export const clusterHost = '127.0.0.1';
export const maxBrokers = 9;
const controllerPortOffset = 100;
const managementPortOffset = 1000;

/** Clear of the default stack (9092/9093, 8081/9081) and the apps (3000/3001), and of each other. */
export const clusterPortDefaults = {
  secure: { kafka: 19092, registry: 18443 },
  plain: { kafka: 29092, registry: 28081 },
} as const satisfies Record<'secure' | 'plain', ClusterPorts>;

export class ClusterProfileError extends Error {
  override readonly name = 'ClusterProfileError';
}

export function isDefaultSelection(selection: ClusterSelection): boolean {
  return selection.brokers === 1 && !selection.secure;
}

export function profileId(selection: ClusterSelection): string {
  return `${selection.secure ? 'secure' : 'plain'}-${selection.brokers}`;
}

/** Validates the selection and the ports (defaults where not given) of a non-default profile. */
export function clusterProfile(
  selection: ClusterSelection,
  ports: Partial<ClusterPorts> = {},
): ClusterProfile {
  const { brokers, secure } = selection;
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > maxBrokers) {
    throw new ClusterProfileError(
      `--brokers must be a whole number from 1 to ${maxBrokers} (got ${brokers})`,
    );
  }
  if (isDefaultSelection(selection)) {
    throw new ClusterProfileError(
      'one plain broker is the default stack: run it without --brokers/--secure (its addresses come from KAFKA_BROKERS and SCHEMA_REGISTRY_URL)',
    );
  }
  const defaults = clusterPortDefaults[secure ? 'secure' : 'plain'];
  const chosen: ClusterPorts = {
    kafka: ports.kafka ?? defaults.kafka,
    registry: ports.registry ?? defaults.registry,
  };
  const highestKafka = chosen.kafka + controllerPortOffset + brokers - 1;
  if (!isPort(chosen.kafka) || highestKafka > 65535) {
    throw new ClusterProfileError(
      `--kafka-port must leave room for ${brokers} broker and controller ports (port + ${controllerPortOffset + brokers - 1} ≤ 65535; got ${chosen.kafka})`,
    );
  }
  if (
    !isPort(chosen.registry) ||
    chosen.registry + managementPortOffset > 65535
  ) {
    throw new ClusterProfileError(
      `--registry-port must leave room for the management port (port + ${managementPortOffset} ≤ 65535; got ${chosen.registry})`,
    );
  }
  const kafkaPorts = kafkaNodes({ brokers, ports: chosen }).flatMap((node) => [
    node.port,
    node.controllerPort,
  ]);
  const registryPorts = [chosen.registry, registryManagementPort(chosen)];
  if (registryPorts.some((port) => kafkaPorts.includes(port))) {
    throw new ClusterProfileError(
      `--registry-port ${chosen.registry} (and its management port ${registryManagementPort(chosen)}) must not overlap the Kafka ports`,
    );
  }
  return { brokers, secure, id: profileId(selection), ports: chosen };
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

export function kafkaNodes(
  profile: Pick<ClusterProfile, 'brokers' | 'ports'>,
): KafkaNodeAddress[] {
  return Array.from({ length: profile.brokers }, (_, index) => ({
    nodeId: index + 1,
    host: clusterHost,
    port: profile.ports.kafka + index,
    controllerPort: profile.ports.kafka + controllerPortOffset + index,
  }));
}

export function kafkaNode(
  profile: Pick<ClusterProfile, 'brokers' | 'ports'>,
  nodeId: number,
): KafkaNodeAddress {
  const node = kafkaNodes(profile).find(
    (candidate) => candidate.nodeId === nodeId,
  );
  if (node === undefined) {
    throw new ClusterProfileError(
      `no broker ${nodeId}: the cluster has nodes 1 to ${profile.brokers}`,
    );
  }
  return node;
}

export function registryManagementPort(ports: ClusterPorts): number {
  return ports.registry + managementPortOffset;
}

export function brokerList(
  profile: Pick<ClusterProfile, 'brokers' | 'ports'>,
): string[] {
  return kafkaNodes(profile).map((node) => `${node.host}:${node.port}`);
}

/** The Confluent-compatible API base clients use. */
export function registryUrl(
  profile: Pick<ClusterProfile, 'secure' | 'ports'>,
  apiPath: string,
): string {
  return `${profile.secure ? 'https' : 'http'}://${clusterHost}:${profile.ports.registry}${apiPath}`;
}

/** Its own database, so the profile's schema ids never mix with another stack's. */
export function registryDatabaseName(
  profile: Pick<ClusterProfile, 'id'>,
  base: string,
): string {
  return `${base}_${profile.id.replace(/-/g, '_')}`;
}
