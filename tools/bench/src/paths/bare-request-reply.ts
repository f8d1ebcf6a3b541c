import { randomUUID } from 'node:crypto';
import { createKafka } from '@subtasks/messaging';
import {
  type Consumer,
  type IHeaders,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { BenchContext } from '../context';
import type { Call } from '../measure/closed-loop';
import type { BenchTopics } from '../system/bench-topics';
import type { StartedPath } from './started-path';

const CORRELATION_HEADER = 'correlation-id';
const REPLY_PARTITION_HEADER = 'reply-partition';
const JOIN_TIMEOUT_MS = 60_000;

/**
 * Anchor A: request-reply in plain kafkajs, nothing of the product, the same design as Nest's: the
 * caller names a correlation id and a reply partition it owns; a responder consumes the request
 * topic and produces the answer there without holding its partition until the broker acknowledges.
 */
export async function startBareRequestReply(
  context: BenchContext,
  topics: BenchTopics,
): Promise<StartedPath> {
  const kafka = createKafka(context.kafka, {
    clientId: context.runId,
    purpose: 'bare',
    // Failures surface as failed calls; kafkajs's retry chatter (a fresh topic's leader) would bury the figures.
    logLevel: logLevel.NOTHING,
  });
  const producerOptions = {
    createPartitioner: Partitioners.DefaultPartitioner,
  };
  const responderProducer = kafka.producer(producerOptions);
  const responder = kafka.consumer({
    groupId: `${context.runId}-bare-responder`,
  });
  const callerProducer = kafka.producer(producerOptions);
  const replies = kafka.consumer({ groupId: `${context.runId}-bare-caller` });
  const clients: (Producer | Consumer)[] = [
    responderProducer,
    responder,
    callerProducer,
    replies,
  ];
  await Promise.all(clients.map((client) => client.connect()));

  // Fresh topics and groups: from the beginning, nothing sent before a group joined is missed.
  await responder.subscribe({ topic: topics.bareRequest, fromBeginning: true });
  let replyFailure: Error | undefined;
  await responder.run({
    eachMessage: async ({ message }) => {
      const request = JSON.parse(String(message.value)) as {
        requestId: string;
        subtaskId: string;
      };
      // Not awaited, as in Nest's server: the next request is read while this reply is in flight.
      responderProducer
        .send({
          topic: topics.bareReply,
          messages: [
            {
              partition: Number(
                header(message.headers, REPLY_PARTITION_HEADER),
              ),
              value: JSON.stringify({
                requestId: request.requestId,
                subtaskId: request.subtaskId,
                outcome: 'STORED',
                resultVersion: 1,
                reason: null,
              }),
              headers: {
                [CORRELATION_HEADER]: header(
                  message.headers,
                  CORRELATION_HEADER,
                ),
              },
            },
          ],
        })
        .catch((error: unknown) => {
          replyFailure ??=
            error instanceof Error ? error : new Error(String(error));
        });
    },
  });

  const waiting = new Map<string, () => void>();
  const replyPartition = firstAssignedPartition(replies, topics.bareReply);
  await replies.subscribe({ topic: topics.bareReply, fromBeginning: true });
  await replies.run({
    eachMessage: async ({ message }) => {
      const id = header(message.headers, CORRELATION_HEADER);
      waiting.get(id)?.();
      waiting.delete(id);
    },
  });
  const partition = String(await replyPartition);

  let sequence = 0;
  const call: Call = async () => {
    const id = String(sequence++);
    const replied = new Promise<void>((resolve) => waiting.set(id, resolve));
    const subtaskId = randomUUID();
    await callerProducer.send({
      topic: topics.bareRequest,
      messages: [
        {
          key: subtaskId,
          value: JSON.stringify({
            subtaskId,
            isWorkerComplete: true,
            requestId: randomUUID(),
            requestedAt: Date.now(),
          }),
          headers: {
            [CORRELATION_HEADER]: id,
            [REPLY_PARTITION_HEADER]: partition,
          },
        },
      ],
    });
    if (replyFailure !== undefined) throw replyFailure;
    await replied;
  };

  return {
    call,
    close: async () => {
      waiting.clear();
      await Promise.all(clients.map((client) => client.disconnect()));
    },
  };
}

/** The lowest partition of `topic` the consumer is given when it joins its group. */
function firstAssignedPartition(
  consumer: Consumer,
  topic: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `the reply consumer got no partition of ${topic} within ${JOIN_TIMEOUT_MS} ms`,
          ),
        ),
      JOIN_TIMEOUT_MS,
    );
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const partitions = payload.memberAssignment[topic] ?? [];
      if (partitions.length === 0) return;
      clearTimeout(timer);
      resolve(Math.min(...partitions));
    });
  });
}

function header(headers: IHeaders | undefined, name: string): string {
  const value = headers?.[name];
  return String(Array.isArray(value) ? value[0] : value);
}
