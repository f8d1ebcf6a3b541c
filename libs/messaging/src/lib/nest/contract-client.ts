import { type OnApplicationShutdown } from '@nestjs/common';
import {
  ClientKafka,
  KafkaHeaders,
  type ReadPacket,
  type WritePacket,
} from '@nestjs/microservices';
import type { Command, Contract, ReplyOf } from '@subtasks/contracts';
import {
  EmptyError,
  Observable,
  catchError,
  defer,
  first,
  firstValueFrom,
  lastValueFrom,
  map,
  mergeMap,
  throwError,
  timeout,
} from 'rxjs';
import type { RecordMetadata } from 'kafkajs';
import { MessagingError, describeCause } from '../errors/messaging-error';
import type { ContractCatalogue } from '../kafka/contract-catalogue';
import { isContract } from '../kafka/contract-catalogue';
import type { OutgoingKafkaMessage } from '../kafka/contract-codecs';
import { OutgoingMessage } from '../kafka/outgoing-message';
import { publishFailure } from './publish-outcome';

export interface PublishOptions {
  /** Extra Kafka headers, e.g. `x-request-id`. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface SendOptions extends PublishOptions {
  /** How long to wait for the reply (including a first connect); the client's default otherwise. */
  readonly timeoutMs?: number;
}

export interface ContractClientSettings {
  /** Default reply timeout of `send()`. */
  readonly requestTimeoutMs: number;
  /** Emit only: no reply consumer, `send()` fails. */
  readonly producerOnly?: boolean;
  /** How long `connect()` waits for the reply consumer to be given its partitions. Default 15 s. */
  readonly connectTimeoutMs?: number;
  /** Says why reply topics got no partition (partitions vs. instances), for the boot error. */
  readonly diagnoseReplyPartitions?: (topics: string[]) => Promise<string>;
}

const ASSIGNMENT_POLL_MS = 100;

/** A sent command whose publication Kafka has acknowledged; its reply may still come. */
export interface DispatchedCommand<R> {
  readonly reply: Promise<R>;
}

/**
 * Typed send/emit over Nest's `ClientKafka`: `send(command)` is an Observable of exactly the
 * command's reply class, with a timeout on every call; `emit(message)` resolves once Kafka has the
 * message. Topics come from the instances, so nothing here names one.
 */
export class ContractClient implements OnApplicationShutdown {
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly kafka: ContractClientKafka,
    private readonly catalogue: ContractCatalogue,
    private readonly settings: ContractClientSettings,
  ) {
    if (!settings.producerOnly) {
      for (const command of catalogue.commands()) {
        // Nest hard-codes `<topic>.reply` as the reply topic; the catalogue must agree with it.
        if (command.reply.topic !== replyTopicOf(command.topic)) {
          throw new Error(
            `${command.messageName}'s reply ${command.reply.messageName} travels on ${command.reply.topic}, but Nest replies on ${replyTopicOf(command.topic)}`,
          );
        }
        // Must happen before the first connect(): Nest subscribes the reply consumer only then.
        kafka.subscribeToResponseOf(command.topic);
      }
    }
  }

  /** Connects producer and reply consumer, and waits until the reply partitions are assigned. */
  connect(): Promise<void> {
    this.connecting ??= this.establish().catch(async (error: unknown) => {
      this.connecting = undefined;
      // ClientKafka keeps a failed connect promise forever; closing resets it for the next try.
      await this.kafka.close().catch(() => undefined);
      throw error;
    });
    return this.connecting;
  }

  /** Sends a command; emits its reply once, or fails with a MessagingError (REPLY_TIMEOUT, REPLY_ERROR, …). */
  send<C extends Command>(
    command: C,
    options: SendOptions = {},
  ): Observable<ReplyOf<C>> {
    return this.sendOutgoing(
      new OutgoingMessage(command, options.headers),
      options,
    );
  }

  private sendOutgoing<C extends Command>(
    outgoing: OutgoingMessage<C>,
    options: SendOptions,
  ): Observable<ReplyOf<C>> {
    const command = outgoing.message;
    const topic = command.contract.topic;
    const timeoutMs = options.timeoutMs ?? this.settings.requestTimeoutMs;
    if (this.settings.producerOnly) {
      return throwError(
        () =>
          new Error(
            `This ContractClient is producer-only; it cannot send ${command.contract.messageName} and wait for a reply`,
          ),
      );
    }
    return defer(() => this.connect()).pipe(
      mergeMap(() =>
        this.kafka.send<unknown, OutgoingMessage<C>>(topic, outgoing),
      ),
      first(),
      map((reply) => expectReplyTo(command, reply)),
      timeout({
        first: timeoutMs,
        with: () =>
          throwError(
            () =>
              new MessagingError(
                'REPLY_TIMEOUT',
                `No reply to ${command.contract.messageName} on ${replyTopicOf(topic)} within ${timeoutMs} ms`,
                { topic },
              ),
          ),
      }),
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof EmptyError
            ? new MessagingError(
                'NO_REPLY',
                `The handler of ${topic} finished without replying to ${command.contract.messageName}`,
                { topic },
              )
            : error,
        ),
      ),
    );
  }

  /**
   * `send`, split in two: resolves once Kafka has acknowledged the command, and gives the reply as a
   * promise of its own. Nest's `send` alone cannot tell a publish failure from a missing reply;
   * callers that must undo work when nothing was sent need this. It rejects with PUBLISH_REFUSED
   * when the command certainly did not reach Kafka, PUBLISH_UNCONFIRMED when that is unknown (a
   * timeout before the acknowledgement): only the first allows undoing.
   */
  async dispatch<C extends Command>(
    command: C,
    options: SendOptions = {},
  ): Promise<DispatchedCommand<ReplyOf<C>>> {
    try {
      await this.connect();
    } catch (error) {
      // Nothing was handed to Kafka yet.
      throw new MessagingError(
        'PUBLISH_REFUSED',
        `Not connected to Kafka, ${command.contract.messageName} was not sent: ${describeCause(error)}`,
        { topic: command.contract.topic, cause: error },
      );
    }
    const outgoing = new OutgoingMessage(command, options.headers);
    const reply = firstValueFrom(this.sendOutgoing(outgoing, options));
    // A failure before the record reached the producer (e.g. encoding) fails the publish too.
    reply.catch((error: unknown) => outgoing.settled(error));
    try {
      await outgoing.acknowledged;
    } catch (error) {
      throw publishFailure(error, command.contract.topic);
    }
    return { reply };
  }

  /** `send` as a Promise. */
  request<C extends Command>(
    command: C,
    options: SendOptions = {},
  ): Promise<ReplyOf<C>> {
    return firstValueFrom(this.send(command, options));
  }

  /** Publishes an event (or a command, fire-and-forget); resolves once the broker has it. */
  async emit(message: Contract, options: PublishOptions = {}): Promise<void> {
    await this.connect();
    await lastValueFrom(
      this.kafka.emit(
        message.contract.topic,
        new OutgoingMessage(message, options.headers),
      ),
      { defaultValue: undefined },
    );
  }

  async close(): Promise<void> {
    this.connecting = undefined;
    await this.kafka.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async establish(): Promise<void> {
    await this.kafka.connect();
    if (this.settings.producerOnly) {
      return;
    }
    const replyTopics = this.catalogue
      .commands()
      .map((command) => replyTopicOf(command.topic));
    const timeoutMs = this.settings.connectTimeoutMs ?? 15_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const assigned = this.kafka.getConsumerAssignments();
      const missing = replyTopics.filter((topic) => !(topic in assigned));
      if (missing.length === 0) {
        return;
      }
      if (Date.now() > deadline) {
        const why =
          (await this.settings
            .diagnoseReplyPartitions?.(missing)
            .catch(() => undefined)) ?? '';
        // Replies reach only the instance that owns the partition named in the command's headers.
        throw new MessagingError(
          'REPLY_PARTITION_UNAVAILABLE',
          `This instance's reply consumer got no partition of ${missing.join(', ')} within ${timeoutMs} ms, so no reply could reach it.${why === '' ? '' : ` ${why}`}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, ASSIGNMENT_POLL_MS));
    }
  }
}

function replyTopicOf(topic: string): string {
  return `${topic}.reply`;
}

function isReplyTo<C extends Command>(
  command: C,
  reply: unknown,
): reply is ReplyOf<C> {
  return isContract(reply) && reply.contract === command.contract.reply;
}

function expectReplyTo<C extends Command>(
  command: C,
  reply: unknown,
): ReplyOf<C> {
  if (!isReplyTo(command, reply)) {
    throw new MessagingError(
      'NOT_A_CONTRACT',
      `The reply to ${command.contract.messageName} is not a ${command.contract.reply.messageName}`,
      { topic: command.contract.topic },
    );
  }
  return reply;
}

/**
 * Nest's `ClientKafka`, telling each OutgoingMessage when Kafka acknowledged or refused its record:
 * Nest keeps the producer's answer inside `publish` and `dispatchEvent`, so these two are Nest 11's
 * own, with that one addition. They use only ClientKafka's protected API; contract-client.transport.spec
 * fails if a Nest upgrade changes what they rely on (the reply headers, the reply routing).
 */
export class ContractClientKafka extends ClientKafka {
  protected override publish(
    partialPacket: ReadPacket,
    callback: (packet: WritePacket) => void,
  ): () => void {
    const packet = this.assignPacketId(partialPacket);
    this.routingMap.set(packet.id, callback);
    const cleanup = (): void => void this.routingMap.delete(packet.id);
    const fail = (err: unknown): void => {
      cleanup();
      settle(packet.data, err);
      callback({ err });
    };
    try {
      const pattern = this.normalizePattern(partialPacket.pattern);
      const replyTopic = this.getResponsePatternName(pattern);
      const replyPartition = this.getReplyTopicPartition(replyTopic);
      Promise.resolve(
        this.serializer.serialize(packet.data, {
          pattern,
        }) as Promise<OutgoingKafkaMessage>,
      )
        .then((record) => {
          record.headers[KafkaHeaders.CORRELATION_ID] = packet.id;
          record.headers[KafkaHeaders.REPLY_TOPIC] = replyTopic;
          record.headers[KafkaHeaders.REPLY_PARTITION] = replyPartition;
          return this.sendRecord(pattern, record, packet.data);
        })
        .catch(fail);
      return cleanup;
    } catch (err) {
      fail(err);
      return () => undefined;
    }
  }

  protected override async dispatchEvent(
    packet: ReadPacket,
  ): Promise<RecordMetadata[]> {
    const pattern = this.normalizePattern(packet.pattern);
    try {
      const record = (await this.serializer.serialize(packet.data, {
        pattern,
      })) as OutgoingKafkaMessage;
      return await this.sendRecord(pattern, record, packet.data);
    } catch (error) {
      settle(packet.data, error);
      throw error;
    }
  }

  private async sendRecord(
    topic: string,
    record: OutgoingKafkaMessage,
    data: unknown,
  ): Promise<RecordMetadata[]> {
    const metadata = await this.producer.send({
      topic,
      messages: [record],
      ...this.options.send,
    });
    settle(data);
    return metadata;
  }
}

function settle(data: unknown, error?: unknown): void {
  if (data instanceof OutgoingMessage) data.settled(error);
}
