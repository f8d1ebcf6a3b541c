import { renderPropertiesFile } from '../kafka-properties';
import type { KafkaNodeAddress } from './profile';

export interface NodeSecurity {
  /** Kafka PEM keystore: the node's key, certificate and the CA. */
  keystoreFile: string;
  /** PEM CA certificate the nodes trust (each other's certificates, on both listeners). */
  truststoreFile: string;
  /** SCRAM user the brokers authenticate to each other as. */
  interBrokerUser: string;
  interBrokerPassword: string;
}

export interface ClusterNodeSettings {
  node: KafkaNodeAddress;
  /** Every node of the cluster, this one included: all are voters (combined mode). */
  nodes: readonly KafkaNodeAddress[];
  logDir: string;
  /** Absent: plaintext listeners, no authentication. */
  security?: NodeSecurity;
}

export interface ReplicationDefaults {
  replicationFactor: number;
  minInsyncReplicas: number;
  partitions: number;
}

/** RF 3 / min ISR 2 from three nodes on: one node may be down and acks=all writes still succeed. */
export function replicationDefaults(brokers: number): ReplicationDefaults {
  const replicationFactor = Math.min(brokers, 3);
  return {
    replicationFactor,
    minInsyncReplicas: replicationFactor >= 3 ? 2 : 1,
    partitions: brokers > 1 ? 6 : 3,
  };
}

export const clientListenerName = {
  plain: 'PLAINTEXT',
  secure: 'SASL_SSL',
} as const;
export const scramMechanism = 'SCRAM-SHA-512';

/**
 * One node of an N-node KRaft cluster in combined mode (broker and controller). Secure: clients and
 * brokers on SASL_SSL with SCRAM-SHA-512, the controller quorum on SSL with client certificates
 * required, so every connection between nodes is authenticated too.
 */
export function renderClusterNodeProperties(
  settings: ClusterNodeSettings,
): string {
  const { node, nodes, logDir, security } = settings;
  const client = security
    ? clientListenerName.secure
    : clientListenerName.plain;
  const { replicationFactor, minInsyncReplicas, partitions } =
    replicationDefaults(nodes.length);
  const properties: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', node.nodeId],
    [
      'controller.quorum.voters',
      nodes
        .map(({ nodeId, host, controllerPort }) =>
          voter(nodeId, host, controllerPort),
        )
        .join(','),
    ],
    [
      'listeners',
      `${client}://${node.host}:${node.port},CONTROLLER://${node.host}:${node.controllerPort}`,
    ],
    ['advertised.listeners', `${client}://${node.host}:${node.port}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', client],
    [
      'listener.security.protocol.map',
      security
        ? `CONTROLLER:SSL,${client}:${client}`
        : `CONTROLLER:PLAINTEXT,${client}:${client}`,
    ],
    ...(security ? securityProperties(client, security) : []),
    ['log.dirs', logDir],
    ['default.replication.factor', replicationFactor],
    ['min.insync.replicas', minInsyncReplicas],
    ['offsets.topic.replication.factor', replicationFactor],
    ['transaction.state.log.replication.factor', replicationFactor],
    ['transaction.state.log.min.isr', minInsyncReplicas],
    ['share.coordinator.state.topic.replication.factor', replicationFactor],
    ['share.coordinator.state.topic.min.isr', minInsyncReplicas],
    ['group.initial.rebalance.delay.ms', 0],
    ['num.partitions', partitions],
  ];
  return renderPropertiesFile(
    properties,
    'tools/stack/src/cluster/node-properties.ts',
  );
}

function voter(nodeId: number, host: string, port: number): string {
  return `${nodeId}@${host}:${port}`;
}

function securityProperties(
  client: string,
  security: NodeSecurity,
): [string, string][] {
  const prefix = `listener.name.${client.toLowerCase()}`;
  return [
    ['sasl.enabled.mechanisms', scramMechanism],
    ['sasl.mechanism.inter.broker.protocol', scramMechanism],
    [
      `${prefix}.${scramMechanism.toLowerCase()}.sasl.jaas.config`,
      `org.apache.kafka.common.security.scram.ScramLoginModule required username="${security.interBrokerUser}" password="${security.interBrokerPassword}";`,
    ],
    ['listener.name.controller.ssl.client.auth', 'required'],
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', security.keystoreFile],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.location', security.truststoreFile],
  ];
}
