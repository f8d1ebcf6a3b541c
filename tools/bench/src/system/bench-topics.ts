import { ensureTopics, createKafka } from '@subtasks/messaging';
import { logLevel } from 'kafkajs';
import type { BenchContext } from '../context';
import {
  type RetargetedContracts,
  retargetedContracts,
} from '@subtasks/messaging/testing';

/** The run's own topics (the full path alone uses the apps' topics). */
export interface BenchTopics {
  readonly bareRequest: string;
  readonly bareReply: string;
  /** Nest replies on `<topic>.reply`. */
  readonly nestRequest: string;
  readonly nestReply: string;
  readonly produce: string;
  readonly contracts: RetargetedContracts;
  readonly all: readonly string[];
}

export function benchTopics(runId: string): BenchTopics {
  // The generated classes on the run's own topics (same schemas and subjects).
  const contracts = retargetedContracts(runId);
  const topics = {
    bareRequest: `${runId}.bare.request`,
    bareReply: `${runId}.bare.reply`,
    nestRequest: `${runId}.nest.request`,
    nestReply: `${runId}.nest.request.reply`,
    produce: `${runId}.produce`,
  };
  return {
    ...topics,
    contracts,
    all: [...Object.values(topics), ...contracts.topics],
  };
}

/** Creates the run's topics with the apps' partition count (Nest dies at start without them). */
export async function createBenchTopics(
  context: BenchContext,
  topics: BenchTopics,
): Promise<void> {
  await ensureTopics(context.kafka, topics.all, {
    clientId: context.runId,
    policy: context.topicPolicy,
  });
}

/** Deletes the run's topics and consumer groups (every group of the run starts with its id). */
export async function removeBenchTopics(
  context: BenchContext,
  topics: BenchTopics,
): Promise<void> {
  const admin = createKafka(context.kafka, {
    clientId: context.runId,
    purpose: 'cleanup',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const ours = topics.all.filter((topic) => existing.has(topic));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    const { groups } = await admin.listGroups();
    const groupIds = groups
      .map((group) => group.groupId)
      .filter((id) => id.startsWith(context.runId));
    if (groupIds.length > 0) await admin.deleteGroups(groupIds);
  } finally {
    await admin.disconnect();
  }
}
