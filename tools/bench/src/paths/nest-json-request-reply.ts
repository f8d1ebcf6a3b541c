import { randomUUID } from 'node:crypto';
import { Controller, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientKafka,
  MessagePattern,
  type MicroserviceOptions,
  Payload,
  Transport,
} from '@nestjs/microservices';
import { kafkaClientConfig } from '@subtasks/messaging';
import { Partitioners } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import type { BenchContext } from '../context';
import type { Call } from '../measure/closed-loop';
import type { BenchTopics } from '../system/bench-topics';
import type { StartedPath } from './started-path';

interface JsonRequest {
  readonly subtaskId: string;
  readonly isWorkerComplete: boolean;
  readonly requestId: string;
  readonly requestedAt: number;
}

/** The topic is the run's, known only at run time: the module is made for it. */
function responderModule(topic: string): Type<unknown> {
  @Controller()
  class JsonResponder {
    @MessagePattern(topic)
    answer(@Payload() request: JsonRequest) {
      return {
        requestId: request.requestId,
        subtaskId: request.subtaskId,
        outcome: 'STORED',
        resultVersion: 1,
        reason: null,
      };
    }
  }
  @Module({ controllers: [JsonResponder] })
  class JsonResponderModule {}
  return JsonResponderModule;
}

/**
 * Anchor B: stock NestJS over Kafka — `ClientKafka.send` and a microservice's `@MessagePattern`, Nest's
 * default JSON serializer and deserializer, nothing of the product but the connection settings.
 */
export async function startNestJsonRequestReply(
  context: BenchContext,
  topics: BenchTopics,
): Promise<StartedPath> {
  const producer = { createPartitioner: Partitioners.DefaultPartitioner };
  const responder = await NestFactory.createMicroservice<MicroserviceOptions>(
    responderModule(topics.nestRequest),
    {
      transport: Transport.KAFKA,
      options: {
        client: kafkaClientConfig(context.kafka, {
          clientId: `${context.runId}-nest`,
        }),
        consumer: { groupId: `${context.runId}-nest-responder` },
        subscribe: { fromBeginning: true },
        producer,
      },
      logger: ['error'],
    },
  );
  await responder.listen();

  const client = new ClientKafka({
    client: kafkaClientConfig(context.kafka, {
      clientId: `${context.runId}-nest`,
    }),
    consumer: { groupId: `${context.runId}-nest-caller` },
    producer,
  });
  client.subscribeToResponseOf(topics.nestRequest);
  await client.connect();

  const call: Call = async () => {
    const request: JsonRequest = {
      subtaskId: randomUUID(),
      isWorkerComplete: true,
      requestId: randomUUID(),
      requestedAt: Date.now(),
    };
    await lastValueFrom(
      client.send<unknown, JsonRequest>(topics.nestRequest, request),
    );
  };

  return {
    call,
    close: async () => {
      await client.close();
      await responder.close();
    },
  };
}
