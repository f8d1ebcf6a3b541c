import { Logger } from '@nestjs/common';
import { KafkaHeaders, type Serializer } from '@nestjs/microservices';
import type { Contract } from '@subtasks/contracts';
import { MessagingError, describeCause } from '../errors/messaging-error';
import type { ContractSerde } from '../serde/contract-serde';
import { requireContract } from './contract-guards';
import { attachedHeaders } from './message-headers';
import { messageKey } from './message-key';

/**
 * What a serializer of Nest's Kafka transport must resolve to: a message object. Nest writes its
 * correlation and reply headers into `headers` (a bare Buffer crashes it; see STACK.md).
 */
export interface OutgoingKafkaMessage {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string | Buffer>;
}

const SOURCE = Symbol('subtasks.kafka.source');

/** The contract instance a serialized message was made from (see ContractClient.dispatch). */
export function sourceOf(message: object): Contract | undefined {
  return (message as { [SOURCE]?: Contract })[SOURCE];
}

function withSource<T extends object>(message: T, source: Contract): T {
  Object.defineProperty(message, SOURCE, { value: source, enumerable: false });
  return message;
}

/**
 * Client side (`ClientKafka` send/emit): Nest calls `serialize(data, { pattern })` with the topic as
 * the pattern. The schema comes from the instance itself; a failure rejects the send/emit.
 */
export class ContractSerializer
  implements Serializer<unknown, Promise<OutgoingKafkaMessage>>
{
  constructor(private readonly serde: ContractSerde) {}

  async serialize(
    value: unknown,
    options?: Record<string, unknown>,
  ): Promise<OutgoingKafkaMessage> {
    const message = requireContract(value, 'Sending on Kafka');
    const pattern = options?.['pattern'];
    if (typeof pattern === 'string' && pattern !== message.contract.topic) {
      throw new MessagingError(
        'UNKNOWN_TOPIC',
        `${message.contract.messageName} travels on topic ${message.contract.topic}, not ${pattern}`,
        { topic: pattern },
      );
    }
    return withSource(
      {
        key: messageKey(message),
        value: await this.serde.encode(message),
        headers: attachedHeaders(message),
      },
      message,
    );
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
      const message = requireContract(value, 'A command handler reply');
      return {
        key: messageKey(message),
        value: await this.serde.encode(message),
        headers: attachedHeaders(message),
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
