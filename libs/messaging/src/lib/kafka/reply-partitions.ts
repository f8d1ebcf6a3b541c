import type { KafkaConnection } from '@subtasks/config';
import { logLevel } from 'kafkajs';
import { createKafka } from './kafka-client';

/**
 * Why a reply consumer got no partition: Nest sends each reply to one partition its caller owns, so
 * a reply topic needs at least as many partitions as there are instances sharing its group.
 */
export async function diagnoseReplyPartitions(
  connection: KafkaConnection,
  clientId: string,
  groupId: string,
  topics: readonly string[],
): Promise<string> {
  const admin = createKafka(connection, {
    clientId,
    purpose: 'diagnosis',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const [metadata, groups] = await Promise.all([
      admin.fetchTopicMetadata({ topics: [...topics] }),
      admin.describeGroups([groupId]),
    ]);
    const members = groups.groups[0]?.members.length ?? 0;
    const needed = Math.max(members, 1);
    return metadata.topics
      .map(
        ({ name, partitions }) =>
          `${name} has ${partitions.length} partition(s) and the reply group ${groupId} has ${members} member(s); every instance needs one of its own: give the topic at least ${needed} partitions (kafka-topics.sh --alter --topic ${name} --partitions ${needed}) or run fewer instances. KAFKA_TOPIC_PARTITIONS sets the partitions of topics the apps create.`,
      )
      .join(' ');
  } finally {
    await admin.disconnect();
  }
}
