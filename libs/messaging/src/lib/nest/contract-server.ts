import { Logger } from '@nestjs/common';
import {
  type KafkaContext,
  type KafkaOptions,
  type OutgoingResponse,
  ServerKafka,
} from '@nestjs/microservices';
import type { RecordMetadata } from 'kafkajs';
import { describeCause } from '../errors/messaging-error';

/**
 * Nest's Kafka server, with one change: a reply that cannot be sent (broker away) is logged instead
 * of rejecting outside any catch — in Nest 11 that rejection is unhandled and ends the process. The
 * caller is not left waiting for good: its upload settles by the completion event or the reconciler.
 * With ContractClientKafka, one of the two places this project reaches into Nest's transport;
 * `contract-server.spec.ts` fails if an upgrade renames what it overrides.
 */
export class ContractServerKafka extends ServerKafka {
  private readonly replyLogger = new Logger(ContractServerKafka.name);

  constructor(options: Required<KafkaOptions>['options']) {
    super(options);
  }

  override async sendMessage(
    message: OutgoingResponse,
    replyTopic: string,
    replyPartition: string | undefined | null,
    correlationId: string,
    context: KafkaContext,
  ): Promise<RecordMetadata[]> {
    try {
      return await super.sendMessage(
        message,
        replyTopic,
        replyPartition,
        correlationId,
        context,
      );
    } catch (error) {
      this.replyLogger.error(
        `The reply on ${replyTopic} (correlation ${correlationId}) could not be sent: ${describeCause(error)}`,
      );
      return [];
    }
  }
}
