import {
  Injectable,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { KAFKA_IDS } from '@subtasks/contracts';
import {
  createKafka,
  type MessagingEnvironment,
  messagingEnvironment,
} from '@subtasks/messaging';
import { kafkaConnectionOf } from '@subtasks/config';
import { Partitioners, type Producer, logLevel } from 'kafkajs';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  type DeadLetter,
  deadLetterHeaders,
  deadLetterTopicFor,
} from './dead-letter';

/**
 * Parks a message the worker gives up on in the catalogue's dead-letter topic, bytes untouched, so the
 * partition moves on and nothing is lost. A failure to publish propagates: the message is then
 * redelivered rather than dropped.
 */
@Injectable()
export class DeadLetterPublisher
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly producer: Producer;

  constructor(
    config: ConfigService<MessagingEnvironment, true>,
    @InjectPinoLogger(DeadLetterPublisher.name)
    private readonly logger: PinoLogger,
  ) {
    // Built before MessagingModule (which needs this publisher), from the same environment.
    this.producer = createKafka(
      kafkaConnectionOf(messagingEnvironment(config)),
      {
        clientId: KAFKA_IDS.clientId,
        purpose: 'dead-letters',
        logLevel: logLevel.WARN,
      },
    ).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
    });
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }

  async publish(letter: DeadLetter): Promise<void> {
    const topic = deadLetterTopicFor(letter.sourceTopic);
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
    this.logger.warn(
      {
        deadLetterTopic: topic,
        sourceTopic: letter.sourceTopic,
        partition: letter.partition,
        offset: letter.offset,
        code: letter.code,
        reason: letter.reason,
      },
      'message dead-lettered',
    );
  }
}
