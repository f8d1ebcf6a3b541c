import { InvalidEnvironmentError, parseEnvironment } from '../environment';
import { sharedEnvironment } from '../shared-environment';
import { resolveTopicPolicy, topicPolicyOf } from './topic-policy';

describe('the topic policy', () => {
  it('defaults to 6 partitions and replication fitted to the cluster', () => {
    const policy = topicPolicyOf(parseEnvironment(sharedEnvironment, {}));
    expect(policy).toEqual({
      partitions: 6,
      replicationFactor: 'auto',
      minInsyncReplicas: 'auto',
    });
    expect(resolveTopicPolicy(policy, 1)).toEqual({
      partitions: 6,
      replicationFactor: 1,
      minInsyncReplicas: 1,
    });
    expect(resolveTopicPolicy(policy, 5)).toEqual({
      partitions: 6,
      replicationFactor: 3,
      minInsyncReplicas: 2,
    });
  });

  it('takes explicit values', () => {
    const policy = topicPolicyOf(
      parseEnvironment(sharedEnvironment, {
        KAFKA_TOPIC_PARTITIONS: '12',
        KAFKA_REPLICATION_FACTOR: '2',
        KAFKA_MIN_INSYNC_REPLICAS: '1',
      }),
    );
    expect(resolveTopicPolicy(policy, 3)).toEqual({
      partitions: 12,
      replicationFactor: 2,
      minInsyncReplicas: 1,
    });
  });

  it.each([
    [
      { KAFKA_TOPIC_PARTITIONS: '0' },
      /^KAFKA_TOPIC_PARTITIONS: must be at least 1/,
    ],
    [
      { KAFKA_REPLICATION_FACTOR: 'three' },
      /^KAFKA_REPLICATION_FACTOR: must be auto or a whole number/,
    ],
    [
      { KAFKA_REPLICATION_FACTOR: '2', KAFKA_MIN_INSYNC_REPLICAS: '3' },
      /^KAFKA_MIN_INSYNC_REPLICAS: cannot exceed KAFKA_REPLICATION_FACTOR \(2\)/,
    ],
  ])('refuses %j', (env, expected) => {
    try {
      parseEnvironment(sharedEnvironment, env);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEnvironmentError);
      expect(
        (error as InvalidEnvironmentError).problems.some((p) =>
          expected.test(p),
        ),
      ).toBe(true);
    }
  });
});
