import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Controller,
  Logger,
  Module,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaHeaders } from '@nestjs/microservices';
import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import type { KafkaMessage } from 'kafkajs';
import { firstValueFrom } from 'rxjs';
import { MessagingError } from '../lib/errors/messaging-error';
import { PermanentFailure } from '../lib/failure/failure-kind';
import { ensureTopics } from '../lib/kafka/ensure-topics';
import { contractMicroserviceOptions } from '../lib/nest/kafka-options';
import type { UndecodableMessage } from '../lib/kafka/contract-codecs';
import { ContractRegistry } from '../lib/registry/contract-registry';
import { ContractSerde, frame } from '../lib/serde/contract-serde';
import { ContractClient } from '../lib/nest/contract-client';
import {
  ContractPayload,
  CommandHandler,
  EventHandler,
} from '../lib/nest/handler-decorators';
import { MessagingModule } from '../lib/nest/messaging.module';
import {
  KAFKA,
  ONE_PARTITION_TOPICS,
  REGISTRY,
  consume,
  deleteTopics,
  produce,
  runId,
  waitFor,
} from '../testing/local-stack';
import { retargetedContracts } from '../testing/retargeted-contracts';

const run = runId();
const contracts = retargetedContracts(run);

/** The app's per-message context (see `messageScope`): the headers the message carried. */
const messageContext = new AsyncLocalStorage<
  Readonly<Record<string, string>>
>();

const received = {
  /** Request id → the message context its handler ran in. */
  contexts: new Map<string, Readonly<Record<string, string>> | undefined>(),
  commands: [] as UploadSubtaskResult[],
  events: [] as SubtaskResultUploaded[],
  undecodable: [] as UndecodableMessage[],
};
/** Request id → how many times the handler still fails with a transient error. */
const transientFailures = new Map<string, number>();

/** The worker side: a command handler replying with the reply class, and an event handler. */
@Controller()
class TestHandlers {
  @CommandHandler(contracts.Command, {
    rejectWith: (command, reason) =>
      contracts.reply({
        requestId: command.requestId,
        subtaskId: command.subtaskId,
        outcome: 'REJECTED',
        resultVersion: null,
        reason,
      }),
  })
  async upload(
    @ContractPayload() command: UploadSubtaskResult,
  ): Promise<UploadSubtaskResultReply> {
    received.commands.push(command);
    received.contexts.set(command.requestId, messageContext.getStore());
    if (command.subtaskId === 'explode') {
      throw new Error('the worker fell over');
    }
    if (command.subtaskId === 'invalid') {
      throw new PermanentFailure('INVALID_COMMAND', 'nothing to store');
    }
    const failuresLeft = transientFailures.get(command.requestId) ?? 0;
    if (failuresLeft > 0) {
      transientFailures.set(command.requestId, failuresLeft - 1);
      throw new MessagingError('REGISTRY_UNAVAILABLE', 'the registry is away');
    }
    if (command.subtaskId === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
    return contracts.reply({
      requestId: command.requestId,
      subtaskId: command.subtaskId,
      outcome: command.subtaskId === 'missing' ? 'REJECTED' : 'STORED',
      resultVersion: command.subtaskId === 'missing' ? null : 1,
      reason: command.subtaskId === 'missing' ? 'no such subtask' : null,
    });
  }

  @EventHandler(contracts.Event)
  uploaded(@ContractPayload() event: SubtaskResultUploaded): void {
    received.events.push(event);
    received.contexts.set(event.requestId, messageContext.getStore());
  }
}

@Module({
  imports: [
    MessagingModule.forRootAsync({
      useFactory: () => ({
        kafka: KAFKA,
        clientId: run,
        groupId: `${run}-caller`,
        registry: REGISTRY,
        mode: 'register',
        contracts: contracts.all,
        requestTimeoutMs: 20_000,
        failurePolicy: { baseDelayMs: 20, maxDelayMs: 100, unknownAttempts: 3 },
        messageScope: (carried, handle) => messageContext.run(carried, handle),
        onUndecodable: (message) => {
          received.undecodable.push(message);
        },
      }),
    }),
  ],
  controllers: [TestHandlers],
})
class TestAppModule {}

function command(subtaskId: string): UploadSubtaskResult {
  return contracts.command({
    subtaskId,
    requestId: `${run}-${subtaskId}-${received.commands.length}`,
    requestedAt: new Date(),
  });
}

function event(requestId: string): SubtaskResultUploaded {
  return contracts.event({
    requestId,
    subtaskId: `subtask-${requestId}`,
    outcome: 'STORED',
    resultVersion: 2,
    reason: null,
    isWorkerComplete: true,
    uploadedAt: new Date(),
  });
}

describe('Nest Kafka transport with Avro contracts (real broker and registry)', () => {
  let app: INestApplication;
  let client: ContractClient;
  let serde: ContractSerde;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    // Nest dies at start with UNKNOWN_TOPIC_OR_PARTITION without them.
    await ensureTopics(KAFKA, contracts.topics, ONE_PARTITION_TOPICS);
    app = await NestFactory.create(TestAppModule, { logger: ['error'] });
    app.connectMicroservice(
      contractMicroserviceOptions({
        connection: KAFKA,
        clientId: run,
        groupId: `${run}-worker`,
        registry: app.get(ContractRegistry),
        contracts: contracts.all,
        fromBeginning: true,
      }),
      { inheritAppConfig: true },
    );
    await app.startAllMicroservices();
    await app.init();
    client = app.get(ContractClient);
    serde = new ContractSerde(app.get(ContractRegistry));
  });

  afterAll(async () => {
    await app?.close();
    await deleteTopics(contracts.topics);
  });

  describe('(e) round trips', () => {
    it('send(): the handler gets the command instance, the caller gets the reply instance', async () => {
      const sent = command('subtask-e1');

      const reply: UploadSubtaskResultReply = await firstValueFrom(
        client.send(sent, { timeoutMs: 20_000 }),
      );

      expect(reply).toBeInstanceOf(UploadSubtaskResultReply);
      expect(reply).toMatchObject({
        requestId: sent.requestId,
        subtaskId: 'subtask-e1',
        outcome: 'STORED',
        resultVersion: 1,
        reason: null,
      });
      const handled = received.commands.find(
        (c) => c.requestId === sent.requestId,
      );
      expect(handled).toBeInstanceOf(UploadSubtaskResult);
      expect(handled).toEqual(sent);
      expect(handled?.requestedAt).toBeInstanceOf(Date);
      // The handler ran in the app's message scope, given the request id the message carried.
      expect(received.contexts.get(sent.requestId)).toEqual({
        'x-request-id': sent.requestId,
      });
    });

    it('dispatch(): resolves once Kafka has the command, before the (slow) reply', async () => {
      const sent = command('slow');
      const dispatched = await client.dispatch(sent, { timeoutMs: 20_000 });
      const early = await Promise.race([
        dispatched.reply.then(() => 'reply'),
        new Promise((resolve) =>
          setTimeout(() => resolve('published only'), 50),
        ),
      ]);
      expect(early).toBe('published only');
      await expect(dispatched.reply).resolves.toMatchObject({
        requestId: sent.requestId,
      });
    });

    it('dispatch(): a command that cannot be sent rejects the dispatch itself', async () => {
      const invalid = contracts.command({
        subtaskId: 'x',
        requestId: 'y',
        requestedAt: new Date(Number.NaN),
      });
      // Refused for certain (it never reached Kafka): the caller may undo what it did.
      await expect(client.dispatch(invalid)).rejects.toMatchObject({
        code: 'PUBLISH_REFUSED',
        cause: expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      });
    });

    it('a domain refusal is a normal reply with a reason', async () => {
      const reply = await client.request(command('missing'));

      expect(reply).toMatchObject({
        outcome: 'REJECTED',
        reason: 'no such subtask',
      });
    });

    it('a handler failing for an unknown reason is retried, then the caller gets its rejection with the reason', async () => {
      const sent = command('explode');
      await expect(client.request(sent)).resolves.toMatchObject({
        outcome: 'REJECTED',
        reason: 'the worker fell over',
      });
      expect(
        received.commands.filter((c) => c.requestId === sent.requestId),
      ).toHaveLength(3);
    });

    it('a transient failure is retried until it passes, and never rejected', async () => {
      const sent = command('flaky');
      transientFailures.set(sent.requestId, 4);
      await expect(client.request(sent)).resolves.toMatchObject({
        outcome: 'STORED',
      });
      expect(
        received.commands.filter((c) => c.requestId === sent.requestId),
      ).toHaveLength(5);
    });

    it('a permanent failure is rejected at once, without retries', async () => {
      const sent = command('invalid');
      await expect(client.request(sent)).resolves.toMatchObject({
        outcome: 'REJECTED',
        reason: 'nothing to store',
      });
      expect(
        received.commands.filter((c) => c.requestId === sent.requestId),
      ).toHaveLength(1);
    });

    it('a reply slower than the timeout fails the send with REPLY_TIMEOUT', async () => {
      await expect(
        client.request(command('slow'), { timeoutMs: 500 }),
      ).rejects.toMatchObject({ code: 'REPLY_TIMEOUT' });
    });

    it('an invalid command never leaves the caller: VALIDATION_FAILED naming the field', async () => {
      const invalid = contracts.command({
        subtaskId: 'x',
        requestId: 'y',
        requestedAt: new Date(Number.NaN),
      });

      await expect(client.request(invalid)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: ['requestedAt'],
      });
    });

    it('emit(): the event handler gets the event instance', async () => {
      const emitted = event(`${run}-e2`);

      await client.emit(emitted);
      await waitFor(
        () => received.events.some((e) => e.requestId === emitted.requestId),
        20_000,
        'the emitted event',
      );

      const handled = received.events.find(
        (e) => e.requestId === emitted.requestId,
      );
      expect(handled).toBeInstanceOf(SubtaskResultUploaded);
      expect(handled).toEqual(emitted);
      expect(received.contexts.get(emitted.requestId)).toEqual({
        'x-request-id': emitted.requestId,
      });
    });

    it('a message sent without headers (any Confluent client) is handled under the request id it names', async () => {
      const plain = event(`${run}-no-headers`);

      await produce(`${run}-plain`, contracts.Event.topic, [
        { key: 'plain', value: await serde.encode(plain) },
      ]);
      await waitFor(
        () => received.events.some((e) => e.requestId === plain.requestId),
        20_000,
        'the event sent without headers',
      );

      expect(received.contexts.get(plain.requestId)).toEqual({
        'x-request-id': plain.requestId,
      });
    });
  });

  describe('(c) bad bytes', () => {
    it('each undecodable message reaches the hook with its typed error; the consumer goes on', async () => {
      const eventId = await app
        .get(ContractRegistry)
        .schemaIdOf(SubtaskResultUploaded);
      const mismatchId = await registerMismatchSchema(
        app.get(ContractRegistry),
      );
      const good = event(`${run}-after-bad-bytes`);
      const farFuture = await farFutureEvent(serde, eventId);

      await produce(`${run}-bad`, contracts.Event.topic, [
        { key: 'bad-1', value: Buffer.from('{"requestId":"json, not avro"}') },
        { key: 'bad-2', value: frame(2_000_000_000, Buffer.from([2, 0x61])) },
        {
          key: 'bad-3',
          value: frame(eventId, Buffer.from('ffffffffffffff', 'hex')),
        },
        { key: 'bad-4', value: farFuture },
        { key: 'bad-5', value: frame(mismatchId, Buffer.from([2])) },
        { key: 'good', value: await serde.encode(good) },
      ]);
      await waitFor(
        () => received.events.some((e) => e.requestId === good.requestId),
        30_000,
        'the good event after the bad ones',
      );

      const onEvents = received.undecodable.filter(
        (m) => m.topic === contracts.Event.topic,
      );
      expect(onEvents.map((m) => m.code)).toEqual([
        'NO_MAGIC_BYTE',
        'UNKNOWN_SCHEMA_ID',
        'BODY_DECODE_FAILED',
        'VALIDATION_FAILED',
        'SCHEMA_MISMATCH',
      ]);
      expect(onEvents.map((m) => m.key)).toEqual([
        'bad-1',
        'bad-2',
        'bad-3',
        'bad-4',
        'bad-5',
      ]);
      expect(onEvents[0].value?.toString()).toBe(
        '{"requestId":"json, not avro"}',
      );
      expect(onEvents[0].offset).toMatch(/^\d+$/);
      expect(onEvents[1].error).toMatchObject({ schemaId: 2_000_000_000 });
      expect(onEvents[3].error.fields).toEqual(['uploadedAt']);
      expect(onEvents[4].error.message).toContain(`schema id ${mismatchId}`);
      // Still serving requests.
      await expect(
        client.request(command('after-bad-bytes')),
      ).resolves.toMatchObject({
        outcome: 'STORED',
      });
    });

    it('an undecodable command from a caller waiting for a reply gets an error reply with the code', async () => {
      const correlationId = `${run}-bad-command`;

      await produce(`${run}-bad-cmd`, contracts.Command.topic, [
        {
          key: 'bad-command',
          value: Buffer.from('not avro'),
          headers: {
            [KafkaHeaders.CORRELATION_ID]: correlationId,
            [KafkaHeaders.REPLY_TOPIC]: contracts.Reply.topic,
            [KafkaHeaders.REPLY_PARTITION]: '0',
          },
        },
        // Emitted (no reply headers): acknowledged after the hook, nobody to answer.
        { key: 'bad-emitted-command', value: Buffer.from([0, 0, 0]) },
      ]);

      const isTheReply = (message: KafkaMessage) =>
        message.headers?.[KafkaHeaders.CORRELATION_ID]?.toString() ===
        correlationId;
      const replies = await consume(
        `${run}-replies`,
        contracts.Reply.topic,
        (messages) => messages.some(isTheReply),
      );
      const errorReply = replies.find(isTheReply);
      expect(
        JSON.parse(String(errorReply?.headers?.[KafkaHeaders.NEST_ERR])),
      ).toMatchObject({
        status: 'error',
        code: 'NO_MAGIC_BYTE',
        topic: contracts.Command.topic,
      });
      await waitFor(
        () => received.undecodable.some((m) => m.key === 'bad-emitted-command'),
        20_000,
        'the emitted bad command',
      );
      expect(
        received.undecodable
          .filter((m) => m.topic === contracts.Command.topic)
          .map((m) => m.key),
      ).toEqual(['bad-command', 'bad-emitted-command']);
      await expect(
        client.request(command('after-bad-command')),
      ).resolves.toBeInstanceOf(UploadSubtaskResultReply);
    });
  });
});

/** A record no reader version can resolve: registered under a subject of its own, level NONE. */
async function registerMismatchSchema(
  registry: ContractRegistry,
): Promise<number> {
  const { id } = await registry.register({
    ...UploadSubtaskResultReply,
    messageName: 'MessagingIntTestMismatch',
    subject: 'messaging-int-test.mismatch-value',
    compatibility: 'NONE',
    schemaJson: JSON.stringify({
      type: 'record',
      name: 'MessagingIntTestMismatch',
      namespace: 'messaging.int.test',
      fields: [{ name: 'count', type: 'int' }],
    }),
    fromAvro: (value: unknown) => UploadSubtaskResultReply.fromAvro(value),
  });
  return id;
}

/** A valid event whose uploadedAt (9e15 ms) is past the last representable Date. */
async function farFutureEvent(
  serde: ContractSerde,
  eventId: number,
): Promise<Buffer> {
  const encoded = await serde.encode(event('far-future'));
  const body = encoded.subarray(5);
  const avro = SubtaskResultUploaded.schema.fromBuffer(body) as Record<
    string,
    unknown
  >;
  const millis = zigzagVarint(9e15);
  const withoutTimestamp = SubtaskResultUploaded.schema.toBuffer({
    ...avro,
    uploadedAt: new Date(0),
  });
  return frame(
    eventId,
    Buffer.concat([withoutTimestamp.subarray(0, -1), millis]),
  );
}

function zigzagVarint(value: number): Buffer {
  let n = BigInt(value) * 2n;
  const bytes: number[] = [];
  while (n >= 0x80n) {
    bytes.push(Number((n & 0x7fn) | 0x80n));
    n >>= 7n;
  }
  bytes.push(Number(n));
  return Buffer.from(bytes);
}
