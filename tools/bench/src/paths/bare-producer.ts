import { randomUUID } from 'node:crypto';
import { createKafka } from '@subtasks/messaging';
import { logLevel, Partitioners } from 'kafkajs';
import type { BenchContext } from '../context';
import type { BenchTopics } from '../system/bench-topics';
import type { StartedPath } from './started-path';

/**
 * The emit path's anchor: one kafkajs `producer.send` per event (JSON, default acks), resolved when
 * the broker acknowledges it — what `ContractClient.emit` does, without Nest or Avro.
 */
export async function startBareProducer(
  context: BenchContext,
  topics: BenchTopics,
): Promise<StartedPath> {
  const producer = createKafka(context.kafka, {
    clientId: context.runId,
    purpose: 'produce',
    // Failures surface as failed calls; kafkajs's retry chatter (a fresh topic's leader) would bury the figures.
    logLevel: logLevel.NOTHING,
  }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return {
    call: async () => {
      const event = {
        requestId: randomUUID(),
        subtaskId: randomUUID(),
        outcome: 'STORED',
        resultVersion: 1,
        reason: null,
        isWorkerComplete: true,
        uploadedAt: Date.now(),
      };
      await producer.send({
        topic: topics.produce,
        messages: [
          {
            key: event.subtaskId,
            value: JSON.stringify(event),
            headers: { 'x-request-id': event.requestId },
          },
        ],
      });
    },
    close: () => producer.disconnect(),
  };
}
