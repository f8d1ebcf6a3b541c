import { Logger } from '@nestjs/common';
import {
  KafkaHeaders,
  type Deserializer,
  type Serializer,
} from '@nestjs/microservices';
import type { Contract } from '@subtasks/contracts';
import {
  MessagingError,
  asMessagingError,
  describeCause,
  type MessagingErrorCode,
} from '../errors/messaging-error';
import type { ContractSerde } from '../serde/contract-serde';
import type { ContractCatalogue } from './contract-catalogue';
import { headerText, toOutgoing } from './outgoing-message';

/*
 * The codecs Nest's Kafka transport calls for contracts: serializers turn a contract (or an
 * OutgoingMessage) into a Kafka message in the Confluent wire format, deserializers turn a consumed
 * record back into a validated contract instance — or an UndecodableMessage for the handler's filter.
 */

/**
 * What a serializer of Nest's Kafka transport must resolve to: a message object. Nest writes its
 * correlation and reply headers into `headers` (a bare Buffer crashes it; see the README, "What Nest 11.2.6 does").
 */
export interface OutgoingKafkaMessage {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string | Buffer>;
}

/**
 * Client side (`ClientKafka` send/emit): Nest calls `serialize(data, { pattern })` with the topic as
 * the pattern, `data` being a contract or an OutgoingMessage (a contract with headers). The schema
 * comes from the instance itself; a failure rejects the send/emit.
 */
export class ContractSerializer
  implements Serializer<unknown, Promise<OutgoingKafkaMessage>>
{
  constructor(private readonly serde: ContractSerde) {}

  async serialize(
    value: unknown,
    options?: Record<string, unknown>,
  ): Promise<OutgoingKafkaMessage> {
    const { message, headers } = toOutgoing(value, 'Sending on Kafka');
    const pattern = options?.['pattern'];
    if (typeof pattern === 'string' && pattern !== message.contract.topic) {
      throw new MessagingError(
        'UNKNOWN_TOPIC',
        `${message.contract.messageName} travels on topic ${message.contract.topic}, not ${pattern}`,
        { topic: pattern },
      );
    }
    return {
      key: message.kafkaKey,
      value: await this.serde.encode(message),
      headers: { ...headers },
    };
  }
}

/**
 * Server side (`ServerKafka` replies): Nest calls `serialize(response)` with no options at all,
 * once per reply packet. `response` is the handler's return value, or undefined for an error
 * reply (`{ err }`, whose header Nest adds afterwards) and for a bare end-of-stream packet.
 * It must never reject: Nest sends replies outside any try/catch, so a rejection would crash the
 * process. A reply that cannot be encoded becomes an error reply carrying the typed error.
 */
export class ContractReplySerializer
  implements Serializer<unknown, Promise<OutgoingKafkaMessage>>
{
  private readonly logger = new Logger(ContractReplySerializer.name);

  constructor(private readonly serde: ContractSerde) {}

  async serialize(value: unknown): Promise<OutgoingKafkaMessage> {
    if (value === undefined || value === null) {
      return { key: null, value: null, headers: {} };
    }
    try {
      const { message, headers } = toOutgoing(value, 'A command handler reply');
      return {
        key: message.kafkaKey,
        value: await this.serde.encode(message),
        headers: { ...headers },
      };
    } catch (error) {
      const failure =
        error instanceof MessagingError
          ? error
          : new MessagingError(
              'NOT_A_CONTRACT',
              `A command handler reply could not be encoded: ${describeCause(error)}`,
              { cause: error },
            );
      this.logger.error(`Sending an error reply instead: ${failure.message}`);
      return {
        key: null,
        value: null,
        headers: { [KafkaHeaders.NEST_ERR]: JSON.stringify(failure.toJSON()) },
      };
    }
  }
}

/** What `ServerKafka` expects back: the pattern (topic) that picks the handler, and its data. */
export interface DecodedRequest {
  readonly pattern: string;
  readonly data: Contract | UndecodableMessage;
}

/** What `ClientKafka` expects back for a reply (Nest's `IncomingResponse`). */
export interface DecodedResponse {
  readonly id: string;
  readonly response?: Contract;
  readonly err?: MessagingError;
  readonly isDisposed: boolean;
}

/**
 * Server side: Nest calls `deserialize(message, { channel })` with the topic as `channel` and
 * awaits it. A message that cannot be decoded is handed on as an {@link UndecodableMessage} so the
 * handler's pipe and filter decide what happens; a rejection here would make kafkajs redeliver the
 * same bytes forever. Only a transient failure (registry unavailable) rejects, on purpose: kafkajs
 * then retries the message instead of anyone dead-lettering a good one.
 */
export class ContractRequestDeserializer
  implements Deserializer<unknown, Promise<DecodedRequest>>
{
  constructor(
    private readonly serde: ContractSerde,
    private readonly catalogue: ContractCatalogue,
  ) {}

  async deserialize(
    message: unknown,
    options?: Record<string, unknown>,
  ): Promise<DecodedRequest> {
    const record = readConsumedRecord(message);
    const channel = options?.['channel'];
    const topic = typeof channel === 'string' ? channel : topicOf(record);
    try {
      const contract = this.catalogue.forTopic(topic);
      return {
        pattern: topic,
        data: await this.serde.decode(contract, record.value, topic),
      };
    } catch (error) {
      const failure = asMessagingError(error, topic);
      if (failure.retriable) {
        throw failure;
      }
      return {
        pattern: topic,
        data: new UndecodableMessage(failure, topic, record),
      };
    }
  }
}

/**
 * Client side: Nest calls `deserialize(message)` for every message on a reply topic that has a
 * correlation id, with no options; the reply topic is on the message. The reply class comes from
 * the catalogue. Error replies (`kafka_nest-err`) and undecodable replies both reach the caller of
 * `send()` as a MessagingError; nothing here rejects, which would stall the reply consumer.
 */
export class ContractResponseDeserializer
  implements Deserializer<unknown, Promise<DecodedResponse>>
{
  constructor(
    private readonly serde: ContractSerde,
    private readonly catalogue: ContractCatalogue,
  ) {}

  async deserialize(message: unknown): Promise<DecodedResponse> {
    const record = readConsumedRecord(message);
    const topic = topicOf(record);
    const id = headerText(record.headers, KafkaHeaders.CORRELATION_ID) ?? '';
    const isDisposed =
      record.headers[KafkaHeaders.NEST_IS_DISPOSED] !== undefined;
    const remoteError = record.headers[KafkaHeaders.NEST_ERR];
    if (remoteError !== undefined && remoteError !== null) {
      return { id, err: replyError(topic, remoteError), isDisposed: true };
    }
    if (record.value === null || record.value === undefined) {
      return { id, isDisposed: true };
    }
    try {
      const contract = this.catalogue.forTopic(topic);
      const response = await this.serde.decode(contract, record.value, topic);
      return { id, response, isDisposed };
    } catch (error) {
      return { id, err: asMessagingError(error, topic), isDisposed: true };
    }
  }
}

function topicOf(record: ConsumedRecord): string {
  return record.topic ?? '(unknown topic)';
}

/** Nest's error reply: whatever the handler's exception filter produced, JSON in a header. */
function replyError(replyTopic: string, remote: unknown): MessagingError {
  const text = headerText({ remote }, 'remote') ?? '';
  let payload: unknown = remote;
  if (typeof remote === 'string' || Buffer.isBuffer(remote)) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = text;
    }
  }
  const field = (name: string): string | undefined => {
    const value: unknown =
      typeof payload === 'object' && payload !== null
        ? Reflect.get(payload, name)
        : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  const remoteCode = field('code');
  const reason = field('message') ?? text;
  const commandTopic = replyTopic.replace(/\.reply$/, '');
  return new MessagingError(
    'REPLY_ERROR',
    `The handler of ${commandTopic} answered with an error${remoteCode === undefined ? '' : ` ${remoteCode}`}: ${reason}`,
    { topic: commandTopic, remoteCode },
  );
}

/**
 * A consumed Kafka message as Nest's Kafka transport hands it to a deserializer: kafkajs' message
 * plus `topic` and `partition`, headers decoded to text by Nest's parser, and (with
 * `parser.keepBinary`) the value left as the raw Buffer.
 */
export interface ConsumedRecord {
  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly offset: string | undefined;
  readonly timestamp: string | undefined;
  readonly key: string | Buffer | null;
  readonly value: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
}

function readConsumedRecord(message: unknown): ConsumedRecord {
  const fields: object =
    typeof message === 'object' && message !== null ? message : {};
  const field = (name: string): unknown => Reflect.get(fields, name);
  const key = field('key');
  const partition = field('partition');
  const headers = field('headers');
  return {
    topic: asString(field('topic')),
    partition: typeof partition === 'number' ? partition : undefined,
    offset: asString(field('offset')),
    timestamp: asString(field('timestamp')),
    key: typeof key === 'string' || Buffer.isBuffer(key) ? key : null,
    value: field('value'),
    headers:
      typeof headers === 'object' && headers !== null
        ? Object.fromEntries(Object.entries(headers))
        : {},
  };
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * What a handler receives instead of a contract instance when a consumed message cannot be
 * decoded: the typed error plus everything needed to dead-letter the original bytes.
 */
export class UndecodableMessage {
  readonly partition: number | undefined;
  readonly offset: string | undefined;
  readonly timestamp: string | undefined;
  readonly key: string | Buffer | null;
  /** The value exactly as consumed (the raw bytes, or null for a tombstone). */
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, unknown>>;

  constructor(
    readonly error: MessagingError,
    readonly topic: string,
    record: ConsumedRecord,
  ) {
    this.partition = record.partition;
    this.offset = record.offset;
    this.timestamp = record.timestamp;
    this.key = record.key;
    this.value = Buffer.isBuffer(record.value)
      ? record.value
      : typeof record.value === 'string'
        ? Buffer.from(record.value)
        : null;
    this.headers = record.headers;
  }

  get code(): MessagingErrorCode {
    return this.error.code;
  }

  /** `topic[partition]@offset`, for logs. */
  get position(): string {
    return `${this.topic}[${String(this.partition ?? '?')}]@${this.offset ?? '?'}`;
  }
}

/**
 * Thrown by the handler decorators' `ContractPayloadPipe` when a handler was given an undecodable
 * message; their filters catch it. Carries the message for dead-lettering.
 */
export class UndecodableMessageError extends MessagingError {
  override readonly name: string = 'UndecodableMessageError';

  constructor(readonly undecodable: UndecodableMessage) {
    super(
      undecodable.code,
      `${undecodable.error.message} (at ${undecodable.position})`,
      {
        topic: undecodable.topic,
        schemaId: undecodable.error.schemaId,
        fields: undecodable.error.fields,
        cause: undecodable.error,
      },
    );
  }
}
