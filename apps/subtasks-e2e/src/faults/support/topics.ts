import {
  ALL_TOPICS,
  KAFKA_IDS,
  SubtaskResultUploaded,
  UploadSubtaskResult,
} from '@subtasks/contracts';
import { createKafka, ensureTopics } from '@subtasks/messaging';
import { type Admin, type IHeaders, logLevel } from 'kafkajs';
import {
  type ReadRecord,
  kafkaConnection,
  latestOffsets,
  readFrom,
} from '../../support/kafka';

export const TOPICS = {
  commands: UploadSubtaskResult.topic,
  events: SubtaskResultUploaded.topic,
  deadLetters: UploadSubtaskResult.deadLetterTopic,
} as const;

export const GROUPS = {
  worker: KAFKA_IDS.workerGroupId,
  api: KAFKA_IDS.apiGroupId,
} as const;

const kafka = createKafka(kafkaConnection, {
  clientId: 'subtasks-e2e',
  purpose: 'faults',
  logLevel: logLevel.NOTHING,
});

export async function withAdmin<T>(
  use: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The apps' topics, as the apps create them at boot: a scenario reads their offsets before that. */
export async function ensureAppTopics(): Promise<void> {
  await ensureTopics(kafkaConnection, ALL_TOPICS, { clientId: 'subtasks-e2e' });
}

export type Offsets = Map<number, string>;

/** Where each topic ends now: a scenario reads from here to see only what it caused. */
export async function offsetsNow(): Promise<
  Record<keyof typeof TOPICS, Offsets>
> {
  const [commands, events, deadLetters] = await Promise.all([
    latestOffsets(TOPICS.commands),
    latestOffsets(TOPICS.events),
    latestOffsets(TOPICS.deadLetters),
  ]);
  return { commands, events, deadLetters };
}

/** Everything written to `topic` since `from`, up to where it ends when this is called. */
export async function readSince(
  topic: string,
  from: Offsets,
): Promise<ReadRecord[]> {
  const end = await latestOffsets(topic);
  const pending = [...end].filter(
    ([partition, offset]) =>
      BigInt(offset) > BigInt(from.get(partition) ?? '0'),
  );
  if (pending.length === 0) return [];
  const reached = (records: ReadRecord[]) =>
    pending.every(([partition, offset]) =>
      records.some(
        (r) =>
          r.partition === partition &&
          BigInt(r.message.offset) + 1n >= BigInt(offset),
      ),
    );
  return readFrom(topic, from, reached, 30_000);
}

export function headerText(
  headers: IHeaders | undefined,
  name: string,
): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? String(value[0]) : String(value);
}
