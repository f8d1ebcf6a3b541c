import { randomUUID } from 'node:crypto';
import {
  kafkaConnectionFromEnvironment,
  registryConnectionFromEnvironment,
} from '@subtasks/config';
import {
  type Kafka,
  Partitioners,
  logLevel,
  type Consumer,
  type KafkaMessage,
} from 'kafkajs';
import { createKafka } from '../lib/kafka/kafka-client';

/**
 * The stack the tests run against: the local one (`npm run stack:up`) by default, or whatever the
 * same variables as the apps' describe (brokers, TLS, SASL, registry credentials).
 */
export const KAFKA = kafkaConnectionFromEnvironment();
export const REGISTRY = registryConnectionFromEnvironment();
export const BROKERS = [...KAFKA.brokers];
export const REGISTRY_URL = REGISTRY.url;

/** Unique per test run: topic prefixes and consumer group ids never collide with other runs. */
export function runId(): string {
  return `it-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

export function kafka(clientId: string): Kafka {
  return createKafka(KAFKA, { clientId, logLevel: logLevel.ERROR });
}

export async function produce(
  clientId: string,
  topic: string,
  messages: {
    key?: string | null;
    value: Buffer | null;
    headers?: Record<string, string | Buffer>;
  }[],
): Promise<void> {
  const producer = kafka(clientId).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Consumes `topic` from the beginning with a fresh group until `done` says it has seen enough. */
export async function consume(
  clientId: string,
  topic: string,
  done: (received: readonly KafkaMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<KafkaMessage[]> {
  const consumer: Consumer = kafka(clientId).consumer({
    groupId: `${clientId}-${randomUUID()}`,
  });
  const received: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message);
      },
    });
    await waitFor(
      () => done(received),
      timeoutMs,
      `the expected messages on ${topic}`,
    );
    return received;
  } finally {
    await consumer.disconnect();
  }
}

export async function deleteTopics(topics: readonly string[]): Promise<void> {
  const admin = kafka('it-cleanup').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const ours = topics.filter((topic) => existing.has(topic));
    if (ours.length > 0) {
      await admin.deleteTopics({ topics: ours });
    }
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `ensureTopics` options for a test's own topics: one partition, replication fitted to the cluster. */
export const ONE_PARTITION_TOPICS = {
  clientId: 'integration-tests',
  policy: {
    partitions: 1,
    replicationFactor: 'auto',
    minInsyncReplicas: 'auto',
  },
} as const;
