import { z } from 'zod';
import type { EnvironmentProblem } from '../environment';

const count = (what: string) =>
  z.coerce
    .number({ message: `must be a whole number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .min(1, 'must be at least 1');

const autoOr = (what: string) =>
  z.union([z.literal('auto'), count(what)], {
    message: `must be auto or a whole number of ${what}`,
  });

/**
 * How the apps create the topics they need when the cluster does not have them yet. Existing topics
 * are never changed.
 */
export const topicPolicyEnvironment = z.object({
  /**
   * Partitions of each created topic. Instances of one group share a topic's partitions, so this is
   * the most api or worker instances that can all be busy (every api instance needs one partition of
   * the reply topic of its own).
   */
  KAFKA_TOPIC_PARTITIONS: count('partitions').max(10_000).default(6),
  /** `auto`: 3, or the number of brokers when the cluster has fewer. */
  KAFKA_REPLICATION_FACTOR: autoOr('replicas').default('auto'),
  /** `auto`: 2 when the replication factor is 3 or more, else 1. */
  KAFKA_MIN_INSYNC_REPLICAS: autoOr('replicas').default('auto'),
});

export type TopicPolicyEnvironment = z.infer<typeof topicPolicyEnvironment>;

/** The topic settings of a parsed environment; `auto` values are resolved against the cluster. */
export interface TopicPolicy {
  readonly partitions: number;
  readonly replicationFactor: number | 'auto';
  readonly minInsyncReplicas: number | 'auto';
}

export function topicPolicyOf(env: TopicPolicyEnvironment): TopicPolicy {
  return {
    partitions: env.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    minInsyncReplicas: env.KAFKA_MIN_INSYNC_REPLICAS,
  };
}

export function checkTopicPolicy(
  env: TopicPolicyEnvironment,
): EnvironmentProblem[] {
  const { KAFKA_REPLICATION_FACTOR: rf, KAFKA_MIN_INSYNC_REPLICAS: isr } = env;
  if (typeof rf === 'number' && typeof isr === 'number' && isr > rf) {
    return [
      {
        variable: 'KAFKA_MIN_INSYNC_REPLICAS',
        message: `cannot exceed KAFKA_REPLICATION_FACTOR (${rf}): no write could ever be acknowledged`,
      },
    ];
  }
  return [];
}

/** `auto` resolved for a cluster of `brokers` brokers. */
export function resolveTopicPolicy(
  policy: TopicPolicy,
  brokers: number,
): {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
} {
  const replicationFactor =
    policy.replicationFactor === 'auto'
      ? Math.max(1, Math.min(3, brokers))
      : policy.replicationFactor;
  const minInsyncReplicas =
    policy.minInsyncReplicas === 'auto'
      ? replicationFactor >= 3
        ? 2
        : 1
      : policy.minInsyncReplicas;
  return {
    partitions: policy.partitions,
    replicationFactor,
    minInsyncReplicas,
  };
}
