import { Logger } from '@nestjs/common';
import { KafkaHeaders, type Serializer } from '@nestjs/microservices';
import { MessagingError, describeCause } from '../errors/messaging-error';
import type { ContractSerde } from '../serde/contract-serde';
import { toOutgoing } from './outgoing-message';

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
