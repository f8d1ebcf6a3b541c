import type { Consumer, ConsumerRunConfig } from 'kafkajs';
import { InMemorySchemaLookup } from '../../testing/in-memory-schema-lookup';
import { contractMicroserviceOptions } from './kafka-options';

/** What Nest's server hands kafkajs's `consumer.run` (its own `bindEvents`, no broker needed). */
async function runConfigOf(
  partitionsConsumedConcurrently?: number,
): Promise<ConsumerRunConfig> {
  const { strategy } = contractMicroserviceOptions({
    connection: {
      brokers: ['k:9092'],
      connectionTimeoutMs: 1_000,
      requestTimeoutMs: 1_000,
    },
    clientId: 'subtasks',
    groupId: 'group',
    registry: new InMemorySchemaLookup(),
    partitionsConsumedConcurrently,
  });
  let config: ConsumerRunConfig | undefined;
  const consumer = {
    run: async (given: ConsumerRunConfig) => void (config = given),
  } as unknown as Consumer;
  await strategy.bindEvents(consumer);
  if (config === undefined) throw new Error('consumer.run was not called');
  return config;
}

describe('contractMicroserviceOptions', () => {
  it('handles one partition at a time unless told otherwise', async () => {
    const config = await runConfigOf();
    expect(config.partitionsConsumedConcurrently).toBe(1);
    expect(config.eachMessage).toEqual(expect.any(Function));
  });

  it('hands kafkajs the partitions to handle at once', async () => {
    expect((await runConfigOf(4)).partitionsConsumedConcurrently).toBe(4);
  });
});
