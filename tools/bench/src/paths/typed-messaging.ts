import { randomUUID } from 'node:crypto';
import {
  Controller,
  type INestApplication,
  Module,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type {
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import {
  CommandHandler,
  ContractClient,
  ContractPayload,
  ContractRegistry,
  contractMicroserviceOptions,
  MessagingModule,
} from '@subtasks/messaging';
import { firstValueFrom } from 'rxjs';
import type { BenchContext } from '../context';
import type { Call } from '../measure/closed-loop';
import type { RetargetedContracts } from '@subtasks/messaging/testing';
import type { BenchTopics } from '../system/bench-topics';

/** The product's typed calls, against a responder that answers at once. */
export interface TypedMessaging {
  /** `ContractClient.send`, awaiting the reply. */
  readonly send: Call;
  /** `ContractClient.dispatch` (as the api publishes), awaiting the acknowledgement and the reply. */
  readonly dispatch: Call;
  /** `ContractClient.emit` of the completion event, awaiting the broker's acknowledgement. */
  readonly emit: Call;
  close(): Promise<void>;
}

const REPLY_TIMEOUT_MS = 30_000;

/** The handler is the worker's shape (CommandHandler, ContractPayload, carried request id) minus the work. */
function typedModule(
  context: BenchContext,
  contracts: RetargetedContracts,
): Type<unknown> {
  const answer = (
    command: UploadSubtaskResult,
    outcome: 'STORED' | 'REJECTED',
    reason: string | null,
  ) =>
    contracts.reply({
      requestId: command.requestId,
      subtaskId: command.subtaskId,
      outcome,
      resultVersion: outcome === 'STORED' ? 1 : null,
      reason,
    });

  @Controller()
  class ImmediateUploadHandler {
    @CommandHandler(contracts.Command, {
      rejectWith: (command, reason) => answer(command, 'REJECTED', reason),
    })
    upload(
      @ContractPayload() command: UploadSubtaskResult,
    ): UploadSubtaskResultReply {
      return answer(command, 'STORED', null);
    }
  }

  @Module({
    imports: [
      MessagingModule.forRootAsync({
        useFactory: () => ({
          kafka: context.kafka,
          clientId: context.runId,
          groupId: `${context.runId}-typed-caller`,
          registry: context.registry,
          mode: 'register',
          contracts: contracts.all,
          requestTimeoutMs: REPLY_TIMEOUT_MS,
        }),
      }),
    ],
    controllers: [ImmediateUploadHandler],
  })
  class TypedBenchModule {}
  return TypedBenchModule;
}

/**
 * One Nest app holding both sides, as anchor B does: the ContractClient (MessagingModule) and a
 * microservice built with `contractMicroserviceOptions` on the run's own topics.
 */
export async function startTypedMessaging(
  context: BenchContext,
  topics: BenchTopics,
): Promise<TypedMessaging> {
  const { contracts } = topics;
  const app: INestApplication = await NestFactory.create(
    typedModule(context, contracts),
    { logger: ['error'] },
  );
  app.connectMicroservice(
    contractMicroserviceOptions({
      connection: context.kafka,
      clientId: context.runId,
      groupId: `${context.runId}-typed-responder`,
      registry: app.get(ContractRegistry),
      contracts: contracts.all,
      fromBeginning: true,
    }),
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.init();
  const client = app.get(ContractClient);

  const command = (): UploadSubtaskResult =>
    contracts.command({
      subtaskId: randomUUID(),
      isWorkerComplete: true,
      requestId: randomUUID(),
      requestedAt: new Date(),
    });

  return {
    send: async () => {
      const sent = command();
      await firstValueFrom(client.send(sent, { timeoutMs: REPLY_TIMEOUT_MS }));
    },
    dispatch: async () => {
      const sent = command();
      const { reply } = await client.dispatch(sent, {
        timeoutMs: REPLY_TIMEOUT_MS,
      });
      await reply;
    },
    emit: async () => {
      const event = contracts.event({
        requestId: randomUUID(),
        subtaskId: randomUUID(),
        outcome: 'STORED',
        resultVersion: 1,
        reason: null,
        isWorkerComplete: true,
        uploadedAt: new Date(),
      });
      await client.emit(event);
    },
    close: () => app.close(),
  };
}
