import {
  type KafkaConnection,
  resolveTopicPolicy,
  type TopicPolicy,
} from '@subtasks/config';
import { type Admin, type ITopicConfig, logLevel } from 'kafkajs';
import { MessagingError } from '../errors/messaging-error';
import { createKafka } from './kafka-client';
import { explainKafkaFailure } from './kafka-failure';

export interface EnsureTopicsOptions {
  readonly clientId: string;
  /** Partitions and replication of topics this call creates; `auto` resolves against the cluster. */
  readonly policy?: TopicPolicy;
  /** How long to wait for the metadata to show every topic with a leader. Default 30 s. */
  readonly timeoutMs?: number;
}

/** What {@link ensureTopics} found or did, for the boot log. */
export interface EnsuredTopics {
  readonly brokers: number;
  readonly created: readonly string[];
  /** Partitions per topic, as the cluster has them now. */
  readonly partitions: ReadonlyMap<string, number>;
}

const POLL_INTERVAL_MS = 200;
const DEFAULT_POLICY: TopicPolicy = {
  partitions: 6,
  replicationFactor: 'auto',
  minInsyncReplicas: 'auto',
};

/**
 * Creates the topics that do not exist yet (partitions, replication factor and min.insync.replicas
 * from the policy) and waits until the metadata shows each with a leader on every partition. Nest's
 * Kafka server and client die at start with UNKNOWN_TOPIC_OR_PARTITION when a topic they subscribe
 * to does not exist yet. Existing topics are left as they are. Connection failures come back
 * explained (credentials, TLS trust, unreachable brokers), naming the variable to check.
 */
export async function ensureTopics(
  connection: KafkaConnection,
  topics: readonly string[],
  options: EnsureTopicsOptions,
): Promise<EnsuredTopics> {
  const wanted = [...new Set(topics)];
  const admin = createKafka(connection, {
    clientId: options.clientId,
    purpose: 'topics',
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await createTopics(
        admin,
        missing,
        resolveTopicPolicy(options.policy ?? DEFAULT_POLICY, brokers.length),
        connection,
      );
    }
    const partitions = await waitForMetadata(
      admin,
      wanted,
      options.timeoutMs ?? 30_000,
    );
    return { brokers: brokers.length, created: missing, partitions };
  } catch (error) {
    throw error instanceof MessagingError
      ? error
      : explainKafkaFailure(error, connection);
  } finally {
    await admin.disconnect();
  }
}

async function createTopics(
  admin: Admin,
  topics: readonly string[],
  policy: ReturnType<typeof resolveTopicPolicy>,
  connection: KafkaConnection,
): Promise<void> {
  const configs: ITopicConfig[] = topics.map((topic) => ({
    topic,
    numPartitions: policy.partitions,
    replicationFactor: policy.replicationFactor,
    configEntries: [
      {
        name: 'min.insync.replicas',
        value: String(policy.minInsyncReplicas),
      },
    ],
  }));
  try {
    await admin.createTopics({ waitForLeaders: true, topics: configs });
  } catch (error) {
    const explained = explainKafkaFailure(error, connection);
    throw new MessagingError(
      explained.code,
      `Creating topics ${topics.join(', ')} (${policy.partitions} partitions, replication factor ${policy.replicationFactor}, min.insync.replicas ${policy.minInsyncReplicas}) failed: ${explained.message}. Create them with these settings, or fix KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR and KAFKA_MIN_INSYNC_REPLICAS.`,
      { cause: error },
    );
  }
}

async function waitForMetadata(
  admin: Admin,
  topics: readonly string[],
  timeoutMs: number,
): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = '';
  while (Date.now() < deadline) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
      const notReady = metadata.topics
        .filter(
          ({ partitions }) =>
            partitions.length === 0 ||
            partitions.some(({ leader }) => leader < 0),
        )
        .map(({ name }) => name);
      const seen = new Set(metadata.topics.map(({ name }) => name));
      const absent = topics.filter((topic) => !seen.has(topic));
      if (notReady.length === 0 && absent.length === 0) {
        return new Map(
          metadata.topics.map(({ name, partitions }) => [
            name,
            partitions.length,
          ]),
        );
      }
      lastProblem = `not ready: ${[...absent, ...notReady].join(', ')}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new MessagingError(
    'KAFKA_UNAVAILABLE',
    `Topics ${topics.join(', ')} did not become ready within ${timeoutMs} ms (${lastProblem})`,
  );
}
