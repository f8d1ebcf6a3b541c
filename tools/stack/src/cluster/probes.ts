import type { KafkaConnection, RegistryConnection } from '@subtasks/config';
import { ContractRegistry, createKafka } from '@subtasks/messaging';
import { type Admin, logLevel } from 'kafkajs';

const clientId = 'stack-cluster';

/** An admin client of `connection` for one short job; always disconnected afterwards. */
export async function withAdmin<T>(
  connection: KafkaConnection,
  purpose: string,
  work: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = createKafka(connection, {
    clientId,
    purpose,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Asks the node itself (its address as the only bootstrap) for the cluster's brokers: ready when it
 * answers over its client listener, authenticated, and lists itself as registered.
 */
export async function probeBroker(
  connection: KafkaConnection,
  nodeId: number,
): Promise<{ clusterId: string; brokers: number[] }> {
  return withAdmin(connection, `ready-${nodeId}`, async (admin) => {
    const { clusterId, brokers } = await admin.describeCluster();
    const ids = brokers.map((broker) => broker.nodeId).sort((a, b) => a - b);
    if (!ids.includes(nodeId)) {
      throw new Error(
        `node ${nodeId} answers but is not registered yet (brokers: ${ids.join(', ') || 'none'})`,
      );
    }
    return { clusterId, brokers: ids };
  });
}

/** One authenticated request to the registry (the subject list), as the apps' health check makes it. */
export async function probeRegistry(
  connection: RegistryConnection,
): Promise<number> {
  const registry = new ContractRegistry({ connection, mode: 'register' });
  try {
    return await registry.ping();
  } finally {
    await registry.close();
  }
}
