import {
  kafkaConnectionFromEnvironment,
  registryConnectionFromEnvironment,
} from '@subtasks/config';
import type { Contract } from '@subtasks/contracts';
import {
  ContractRegistry,
  ContractSerde,
  createKafka,
} from '@subtasks/messaging';
import {
  type KafkaMessage,
  Partitioners,
  type Producer,
  logLevel,
} from 'kafkajs';

/** The stack under test, described by the same variables as the apps' (the local stack by default). */
export const kafkaConnection = kafkaConnectionFromEnvironment();
export const registryConnection = registryConnectionFromEnvironment();

const kafka = createKafka(kafkaConnection, {
  clientId: 'subtasks-e2e',
  logLevel: logLevel.NOTHING,
});

/**
 * A plain Confluent-style producer, as any other client would write to our topics: Confluent wire
 * format values, no Nest reply headers.
 */
export class PlainProducer {
  private readonly producer: Producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  private readonly serde = new ContractSerde(
    new ContractRegistry({ connection: registryConnection, mode: 'register' }),
  );

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async send(message: Contract, key: string | null): Promise<void> {
    await this.sendRaw(
      message.contract.topic,
      await this.serde.encode(message),
      key,
    );
  }

  async sendRaw(
    topic: string,
    value: Buffer,
    key: string | null,
  ): Promise<void> {
    await this.producer.send({ topic, acks: -1, messages: [{ key, value }] });
  }
}

/** Offsets now, per partition: what a reader should start from to see only what comes next. */
export async function latestOffsets(
  topic: string,
): Promise<Map<number, string>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, o.offset]));
  } finally {
    await admin.disconnect();
  }
}

export interface ReadRecord {
  partition: number;
  message: KafkaMessage;
}

/** Reads `topic` from the given offsets until `enough` holds or the time is up. */
export async function readFrom(
  topic: string,
  from: Map<number, string>,
  enough: (records: ReadRecord[]) => boolean,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const consumer = kafka.consumer({
    groupId: `subtasks-e2e-${topic}-${Date.now()}`,
  });
  const records: ReadRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const [partition, offset] of from)
      consumer.seek({ topic, partition, offset });
  });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      records.push({ partition, message });
      if (enough(records)) done();
    },
  });
  const timer = setTimeout(done, timeoutMs);
  await finished;
  clearTimeout(timer);
  await consumer.disconnect();
  return records;
}
