import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { KafkaConnection } from '@subtasks/config';
import type { ContractClass } from '@subtasks/contracts';
import { type IHeaders, Partitioners, type Producer, logLevel } from 'kafkajs';
import { createKafka } from '../kafka/kafka-client';
import type { MessagingMetrics } from '../metrics/messaging-metrics';

/** Headers a dead-letter record carries, so an operator can tell why and replay from where. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  code: 'x-dead-letter-code',
  sourceTopic: 'x-dead-letter-source-topic',
  sourcePartition: 'x-dead-letter-source-partition',
  sourceOffset: 'x-dead-letter-source-offset',
  failedAt: 'x-dead-letter-failed-at',
} as const;

/** A consumed message that will not be processed, exactly as it arrived, and why. */
export interface DeadLetter {
  readonly sourceTopic: string;
  readonly partition: number | undefined;
  readonly offset: string | undefined;
  readonly key: string | Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly code: string;
  readonly reason: string;
}

export function deadLetterHeaders(letter: DeadLetter, now: Date): IHeaders {
  const original: IHeaders = {};
  for (const [name, value] of Object.entries(letter.headers)) {
    if (typeof value === 'string' || Buffer.isBuffer(value))
      original[name] = value;
  }
  return {
    ...original,
    [DEAD_LETTER_HEADERS.reason]: letter.reason,
    [DEAD_LETTER_HEADERS.code]: letter.code,
    [DEAD_LETTER_HEADERS.sourceTopic]: letter.sourceTopic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(letter.partition ?? ''),
    [DEAD_LETTER_HEADERS.sourceOffset]: letter.offset ?? '',
    [DEAD_LETTER_HEADERS.failedAt]: now.toISOString(),
  };
}

export interface DeadLetterOptions {
  readonly connection: KafkaConnection;
  readonly clientId: string;
  readonly contracts: readonly ContractClass[];
  readonly metrics?: MessagingMetrics;
}

/**
 * Parks messages in the dead-letter topic their catalogue entry declares, bytes untouched, with the
 * reason in headers. A failure to park propagates, so the caller leaves the offset uncommitted and
 * the message comes back: nothing is lost when the dead-letter topic refuses writes.
 */
@Injectable()
export class DeadLetterPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly producer: Producer;
  private readonly topics: ReadonlyMap<string, string>;
  private connected?: Promise<void>;
  private readonly metrics?: MessagingMetrics;

  constructor(options: DeadLetterOptions) {
    this.metrics = options.metrics;
    this.producer = createKafka(options.connection, {
      clientId: options.clientId,
      purpose: 'dead-letters',
      logLevel: logLevel.WARN,
    }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
    });
    this.topics = new Map(
      options.contracts.flatMap((contract) =>
        'deadLetterTopic' in contract &&
        typeof contract.deadLetterTopic === 'string'
          ? [[contract.topic, contract.deadLetterTopic]]
          : [],
      ),
    );
  }

  /** The dead-letter topic of messages consumed from `topic`, if the catalogue declares one. */
  topicFor(sourceTopic: string): string | undefined {
    return this.topics.get(sourceTopic);
  }

  async publish(letter: DeadLetter): Promise<void> {
    const topic = this.topicFor(letter.sourceTopic);
    if (topic === undefined)
      throw new Error(
        `the catalogue declares no dead-letter topic for ${letter.sourceTopic}`,
      );
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    await this.producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: letter.key,
          value: letter.value,
          headers: deadLetterHeaders(letter, new Date()),
        },
      ],
    });
    this.metrics?.deadLettered(letter.sourceTopic, letter.code);
    this.logger.warn(
      `message dead-lettered to ${topic}: ${letter.code} at ${letter.sourceTopic}[${letter.partition ?? '?'}]@${letter.offset ?? '?'}: ${letter.reason}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connected !== undefined) await this.producer.disconnect();
  }
}
