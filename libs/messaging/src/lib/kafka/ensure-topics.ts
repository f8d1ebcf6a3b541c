import { Kafka, logLevel, type Admin } from 'kafkajs';

export interface EnsureTopicsOptions {
  /** Partitions of topics this call creates; the broker's default when omitted. */
  readonly numPartitions?: number;
  readonly replicationFactor?: number;
  /** How long to wait for the metadata to show every topic with a leader. Default 30 s. */
  readonly timeoutMs?: number;
  readonly clientId?: string;
}

const POLL_INTERVAL_MS = 200;

/**
 * Creates the topics that do not exist yet and waits until the metadata shows each with a leader
 * on every partition. Nest's Kafka server and client die at start with UNKNOWN_TOPIC_OR_PARTITION
 * when a topic they subscribe to (a command topic, its `.reply` topic) does not exist yet.
 */
export async function ensureTopics(
  brokers: readonly string[],
  topics: readonly string[],
  options: EnsureTopicsOptions = {},
): Promise<void> {
  const wanted = [...new Set(topics)];
  if (wanted.length === 0) {
    return;
  }
  const admin = new Kafka({
    clientId: options.clientId ?? 'ensure-topics',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          ...(options.numPartitions === undefined
            ? {}
            : { numPartitions: options.numPartitions }),
          ...(options.replicationFactor === undefined
            ? {}
            : { replicationFactor: options.replicationFactor }),
        })),
      });
    }
    await waitForMetadata(admin, wanted, options.timeoutMs ?? 30_000);
  } finally {
    await admin.disconnect();
  }
}

async function waitForMetadata(
  admin: Admin,
  topics: readonly string[],
  timeoutMs: number,
): Promise<void> {
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
        return;
      }
      lastProblem = `not ready: ${[...absent, ...notReady].join(', ')}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new Error(
    `Topics ${topics.join(', ')} did not become ready within ${timeoutMs} ms (${lastProblem})`,
  );
}
