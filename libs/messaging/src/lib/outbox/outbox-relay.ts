import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { KafkaConnection } from '@subtasks/config';
import { Partitioners, type Producer, logLevel } from 'kafkajs';
import { describeCause } from '../errors/messaging-error';
import type { EncodedRecord } from '../kafka/encoded-record';
import { createKafka } from '../kafka/kafka-client';

/** A record waiting in an outbox, in the order it was written. */
export interface PendingRecord extends EncodedRecord {
  readonly requestId: string;
}

/**
 * Where the outbox lives (the app's database): the relay only asks for the next batch, one relay at
 * a time across processes, marked published once `publish` resolves; and for pruning.
 */
export interface OutboxStore {
  relayOutbox(
    limit: number,
    publish: (records: PendingRecord[]) => Promise<void>,
    timeoutMs: number,
  ): Promise<number>;
  pruneOutbox(before: Date): Promise<number>;
  outboxBacklog(): Promise<number>;
}

export interface OutboxRelayOptions {
  readonly connection: KafkaConnection;
  readonly clientId: string;
  readonly store: OutboxStore;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  /** Published records are deleted after this long. */
  readonly retentionMs: number;
}

const PRUNE_EVERY_MS = 60_000;

/**
 * Publishes what the outbox holds with an idempotent producer (acks=all), in the order written, then
 * marks it published: a crash between the two republishes at most that batch, whose duplicates
 * consumers recognise by request id. Runs on a timer, and at once when nudged after a commit.
 */
export class OutboxRelay implements OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly producer: Producer;
  private connected?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private lastPrune = 0;
  private stopped = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.producer = createKafka(options.connection, {
      clientId: options.clientId,
      purpose: 'outbox',
      logLevel: logLevel.WARN,
    }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
  }

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.options.pollIntervalMs);
    this.timer.unref();
    this.nudge();
  }

  /** Runs a pass soon (after the one in progress, if any). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.nudge();
      }
    });
  }

  /** Publishes until the outbox is empty (or a pass fails); the last act before the database closes. */
  async flush(): Promise<void> {
    await this.running;
    await this.drain();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.stopped = true;
    if (this.connected !== undefined)
      await this.producer.disconnect().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    try {
      let published: number;
      do {
        published = await this.options.store.relayOutbox(
          this.options.batchSize,
          (records) => this.publish(records),
          this.options.connection.requestTimeoutMs * 3,
        );
      } while (published === this.options.batchSize);
      await this.pruneNowAndThen();
    } catch (error) {
      // Left in the outbox: the next pass tries again.
      this.logger.warn(`outbox relay pass failed: ${describeCause(error)}`);
    }
  }

  private async publish(records: PendingRecord[]): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    // Consecutive records of one topic go in one request, so their order holds.
    for (const batch of byTopicInOrder(records)) {
      await this.producer.send({
        topic: batch.topic,
        acks: -1,
        messages: batch.records.map((record) => ({
          key: record.key,
          value: record.value,
          headers: record.headers,
        })),
      });
    }
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.options.store.pruneOutbox(
      new Date(Date.now() - this.options.retentionMs),
    );
  }
}

function byTopicInOrder(
  records: readonly PendingRecord[],
): { topic: string; records: PendingRecord[] }[] {
  const batches: { topic: string; records: PendingRecord[] }[] = [];
  for (const record of records) {
    const last = batches.at(-1);
    if (last?.topic === record.topic) last.records.push(record);
    else batches.push({ topic: record.topic, records: [record] });
  }
  return batches;
}
