import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { KafkaConnection, Metrics } from '@subtasks/config';
import type { Contract, ContractClass } from '@subtasks/contracts';
import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import { Partitioners, type Producer, logLevel } from 'kafkajs';
import { describeCause } from '../errors/messaging-error';
import type { EncodedRecord } from '../kafka/encoded-record';
import { createKafka } from '../kafka/kafka-client';
import { contextOfHeaders } from '../tracing/trace-context';

/**
 * A record waiting in an outbox, in the order it was written: its encoded `value`, or, when that is
 * null, a `payload` the relay's `encodePayload` turns into the value when it publishes.
 */
export interface PendingRecord extends Omit<EncodedRecord, 'value'> {
  /** The row's id in the outbox. */
  readonly id: bigint | number | string;
  readonly requestId: string;
  readonly value: Buffer | null;
  readonly payload?: unknown;
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
  /** Encodes a record written as a payload (validating it); a failure leaves it in the outbox. */
  readonly encodePayload?: (record: PendingRecord) => Promise<Buffer>;
  /** Where `outbox_pending_messages` is reported (read from the store at each scrape). */
  readonly metrics?: Metrics;
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
  /**
   * Rows this relay published whose marking then failed (the database went away mid-pass): the
   * next pass marks them without publishing again, so only a crash of this process can repeat one.
   */
  private readonly publishedUnmarked = new Set<string>();

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
    options.metrics?.scrapedGauge(
      {
        name: 'outbox_pending_messages',
        help: 'Messages written to the outbox and not yet published to Kafka',
      },
      async (gauge) => gauge.set(await options.store.outboxBacklog()),
    );
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
    // Outside the caller's trace: a pass publishes rows of many uploads, each sent in its own trace.
    this.running = context
      .with(ROOT_CONTEXT, () => this.drain())
      .finally(() => {
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
        let batch: readonly PendingRecord[] = [];
        published = await this.options.store.relayOutbox(
          this.options.batchSize,
          (records) => {
            batch = records;
            return this.publish(records);
          },
          this.options.connection.requestTimeoutMs * 3,
        );
        // Marked published: forget them.
        for (const record of batch)
          this.publishedUnmarked.delete(String(record.id));
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
    const encoded = await Promise.all(
      records
        .filter((record) => !this.publishedUnmarked.has(String(record.id)))
        .map((record) => this.encoded(record)),
    );
    // Consecutive records of one topic (and one trace) go in one request, so their order holds.
    for (const batch of inOrderByTopicAndTrace(encoded)) {
      // Sent in the context the writer stored with the rows: the send joins the writer's trace.
      await context.with(
        contextOfHeaders(batch.records[0]?.headers ?? {}),
        () =>
          this.producer.send({
            topic: batch.topic,
            acks: -1,
            messages: batch.records.map((record) => ({
              key: record.key,
              value: record.value,
              headers: record.headers,
            })),
          }),
      );
      for (const record of batch.records)
        this.publishedUnmarked.add(String(record.id));
    }
  }

  private async encoded(record: PendingRecord): Promise<RelayedRecord> {
    if (record.value !== null) return { ...record, value: record.value };
    if (this.options.encodePayload === undefined)
      throw new Error(
        `outbox record of request ${record.requestId} (${record.topic}) has a payload and this relay no encodePayload`,
      );
    return { ...record, value: await this.options.encodePayload(record) };
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.options.store.pruneOutbox(
      new Date(Date.now() - this.options.retentionMs),
    );
  }
}

/** An outbox row ready to send. */
type RelayedRecord = EncodedRecord & Pick<PendingRecord, 'id'>;

/**
 * Runs of consecutive records with the same topic and trace. Untraced rows (no `traceparent`) form
 * one run per topic as before; traced rows, written by different uploads, mostly go one per request.
 */
function inOrderByTopicAndTrace(
  records: readonly RelayedRecord[],
): { topic: string; trace: unknown; records: RelayedRecord[] }[] {
  const batches: { topic: string; trace: unknown; records: RelayedRecord[] }[] =
    [];
  for (const record of records) {
    const last = batches.at(-1);
    const trace = record.headers[TRACEPARENT];
    if (last?.topic === record.topic && last.trace === trace)
      last.records.push(record);
    else batches.push({ topic: record.topic, trace, records: [record] });
  }
  return batches;
}

const TRACEPARENT = 'traceparent';

/**
 * A message as an outbox payload: Avro's JSON encoding of its fields (timestamps as epoch
 * milliseconds, union values wrapped in their branch name), validated on the way in and out, so a
 * relay can encode it later exactly as the message was built.
 */
export function outboxPayloadOf(message: Contract): Record<string, unknown> {
  message.validate();
  return JSON.parse(
    message.contract.schema.toString(message.toAvro()),
  ) as Record<string, unknown>;
}

/** The message an outbox payload holds, validated against its contract. */
export function contractFromOutboxPayload<T extends Contract>(
  contract: ContractClass<T>,
  payload: unknown,
): T {
  return contract.fromAvro(contract.schema.fromString(JSON.stringify(payload)));
}
