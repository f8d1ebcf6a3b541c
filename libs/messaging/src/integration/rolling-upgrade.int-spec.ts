import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  Controller,
  Logger,
  Module,
  type INestMicroservice,
  type Type as ModuleClass,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  UploadSubtaskResult,
  avroTypeOptions,
  type Command,
  type CommandClass,
  type Contract,
  type UploadSubtaskResultFields,
  type UploadSubtaskResultInit,
} from '@subtasks/contracts';
import { ensureTopics } from '../lib/kafka/ensure-topics';
import { contractMicroserviceOptions } from '../lib/nest/kafka-options';
import {
  ContractPayload,
  CommandHandler,
} from '../lib/nest/handler-decorators';
import { MessagingModule } from '../lib/nest/messaging.module';
import { ContractRegistry } from '../lib/registry/contract-registry';
import { ContractSerde, unframe } from '../lib/serde/contract-serde';
import {
  generateTestContracts,
  type GeneratedContracts,
} from '../testing/generated-contracts';
import {
  KAFKA,
  ONE_PARTITION_TOPICS,
  REGISTRY,
  REGISTRY_URL,
  consume,
  deleteTopics,
  produce,
  runId,
  waitFor,
} from '../testing/local-stack';
import {
  compatibilityLevelOf,
  deleteSubjectPermanently,
  isCompatibleWithLatest,
  versionsOf,
} from '../testing/registry-admin';
import { retargetedContracts } from '../testing/retargeted-contracts';

/**
 * A rolling upgrade of the command schema, proven on the real broker and registry: v1 is the
 * command as it is today, v2 adds an optional field. Workers on either version read what writers on
 * either version wrote, as the subject's BACKWARD level promises for an added optional field.
 */

const run = runId();
/** v1: the generated class, bound to this run's own topic and subject. */
const v1 = retargetedContracts(run, { ownSubjects: true });
const topic = v1.Command.topic;
const subject = v1.Command.subject;

/** The shape the Confluent library takes as a raw reader schema. */
interface RecordSchema {
  type: 'record';
  name: string;
  fields: object[];
}
const v1Schema = JSON.parse(UploadSubtaskResult.schemaJson) as RecordSchema;
/** v2: what a pull request adding an optional field to the .avsc file would make of it. */
const v2Schema: RecordSchema = {
  ...v1Schema,
  fields: [
    ...v1Schema.fields,
    {
      name: 'priority',
      type: ['null', 'int'],
      default: null,
      doc: 'Upload order hint; absent in v1.',
    },
  ],
};
/** Not compatible: a new field without a default cannot be filled in for v1 records. */
const brokenSchema: RecordSchema = {
  ...v1Schema,
  fields: [...v1Schema.fields, { name: 'priority', type: 'int' }],
};

/** The generated v2 class as the test sees it: its declarations live in a temporary folder. */
interface UploadSubtaskResultV2 extends UploadSubtaskResultFields, Command {
  readonly priority: number | null;
}
interface UploadSubtaskResultV2Class
  extends CommandClass<UploadSubtaskResultV2> {
  new (
    init: UploadSubtaskResultInit & { readonly priority?: number | null },
  ): UploadSubtaskResultV2;
}

/** A worker service whose only handler takes `command` and remembers what it was given. */
function workerModule(
  command: CommandClass,
  received: Contract[],
): ModuleClass<unknown> {
  @Controller()
  class UploadWorker {
    @CommandHandler(command, {
      rejectWith: () => {
        throw new Error('this rollout expects no failure');
      },
    })
    upload(@ContractPayload() message: Contract): void {
      received.push(message);
    }
  }
  @Module({
    imports: [
      // The handler decorators' failure policy lives in the messaging module.
      MessagingModule.forRootAsync({
        useFactory: () => ({
          kafka: KAFKA,
          registry: REGISTRY,
          clientId: `${run}-worker`,
          groupId: `${run}-worker`,
          mode: 'verify',
          contracts: [command],
          producerOnly: true,
          connectOnBootstrap: false,
        }),
      }),
    ],
    controllers: [UploadWorker],
  })
  class WorkerModule {}
  return WorkerModule;
}

async function startWorker(
  name: string,
  command: CommandClass,
  received: Contract[],
): Promise<INestMicroservice> {
  const worker = await NestFactory.createMicroservice(
    workerModule(command, received),
    {
      ...contractMicroserviceOptions({
        connection: KAFKA,
        clientId: `${run}-${name}`,
        groupId: `${run}-${name}`,
        // Each worker is its own process in a real rollout: its own registry client and caches.
        registry: new ContractRegistry({
          connection: REGISTRY,
          mode: 'verify',
        }),
        contracts: [command],
        fromBeginning: true,
      }),
      logger: ['error'],
    },
  );
  await worker.listen();
  return worker;
}

const requestedAt = new Date('2024-05-06T07:08:09.010Z');
const v1Fields = (writer: string): UploadSubtaskResultFields => ({
  subtaskId: `subtask-${run}-${writer}`,
  isWorkerComplete: true,
  requestId: `${run}-written-by-${writer}`,
  requestedAt,
});
const V1_FIELD_NAMES = Object.keys(v1Fields('v1')).sort();

describe('rolling upgrade of UploadSubtaskResult: v1 and v2 read each other (real broker and registry)', () => {
  let generated: GeneratedContracts | undefined;
  let V2: UploadSubtaskResultV2Class;
  const workers: INestMicroservice[] = [];
  const readByV1Worker: Contract[] = [];
  const readByV2Worker: Contract[] = [];
  const registration = {
    v1Id: 0,
    v2Id: 0,
    v2CompatibleWithV1: false,
    brokenCompatibleWithV1: true,
  };
  const wire: { writtenByV1: Buffer; writtenByV2: Buffer } = {
    writtenByV1: Buffer.alloc(0),
    writtenByV2: Buffer.alloc(0),
  };

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    generated = await generateTestContracts({
      catalogue: {
        kafka: { clientId: run },
        messages: [
          {
            name: UploadSubtaskResult.messageName,
            file: 'upload-subtask-result.avsc',
            role: 'command',
            topic,
            subject,
            compatibility: UploadSubtaskResult.compatibility,
            reply: v1.Reply.messageName,
            deadLetterTopic: v1.Command.deadLetterTopic,
            key: UploadSubtaskResult.keyField,
            producer: 'api',
            consumers: ['subtask-worker'],
          },
          {
            name: v1.Reply.messageName,
            file: 'upload-subtask-result-reply.avsc',
            role: 'reply',
            topic: v1.Reply.topic,
            subject: v1.Reply.subject,
            compatibility: v1.Reply.compatibility,
            key: v1.Reply.keyField,
          },
        ],
      },
      schemas: {
        'upload-subtask-result.avsc': JSON.stringify(v2Schema, null, 2),
        'upload-subtask-result-reply.avsc': v1.Reply.schemaJson,
      },
    });
    V2 = generated.exports[
      UploadSubtaskResult.messageName
    ] as UploadSubtaskResultV2Class;

    await ensureTopics(KAFKA, [topic], ONE_PARTITION_TOPICS);

    // The order of a rollout: v1 is what runs today; v2 is registered when its pull request merges.
    const registry = new ContractRegistry({
      connection: REGISTRY,
      mode: 'register',
    });
    registration.v1Id = (await registry.register(v1.Command)).id;
    registration.v2CompatibleWithV1 = await isCompatibleWithLatest(
      subject,
      V2.schemaJson,
    );
    registration.brokenCompatibleWithV1 = await isCompatibleWithLatest(
      subject,
      JSON.stringify(brokenSchema),
    );
    registration.v2Id = (await registry.register(V2)).id;

    workers.push(
      await startWorker('v1-worker', v1.Command, readByV1Worker),
      await startWorker('v2-worker', V2, readByV2Worker),
    );

    const writer = new ContractSerde(registry);
    wire.writtenByV1 = await writer.encode(v1.command(v1Fields('v1')));
    wire.writtenByV2 = await writer.encode(
      new V2({ ...v1Fields('v2'), priority: 7 }),
    );
    await produce(`${run}-writers`, topic, [
      { key: 'written-by-v1', value: wire.writtenByV1 },
      { key: 'written-by-v2', value: wire.writtenByV2 },
    ]);
  });

  afterAll(async () => {
    try {
      await Promise.all(workers.map((worker) => worker.close()));
    } finally {
      await deleteTopics([topic]);
      await deleteSubjectPermanently(subject);
      await generated?.remove();
    }
  });

  const readBy = (
    received: readonly Contract[],
    writer: 'v1' | 'v2',
  ): Promise<Contract> => {
    const requestId = v1Fields(writer).requestId;
    const find = () =>
      received.find(
        (message) => Reflect.get(message, 'requestId') === requestId,
      );
    return waitFor(
      () => find() !== undefined,
      30_000,
      `the record written by ${writer}`,
    ).then(() => find() as Contract);
  };

  it('the generator turns v2 into a class bound to the test topic, filling the new field with its default', () => {
    expect(generated?.log).toMatch(/contracts-gen: \d+ files in /);
    expect(V2.schemaJson).toBe(JSON.stringify(v2Schema));
    expect([V2.topic, V2.subject, V2.role]).toEqual([
      topic,
      `${topic}-value`,
      'command',
    ]);
    expect(new V2(v1Fields('v2')).priority).toBeNull();
  });

  it('the registry takes v2 as a BACKWARD-compatible second version under the run’s own subject', async () => {
    expect(subject).toBe(`${run}.UPLOAD_SUBTASK_RESULT-value`);
    expect(await compatibilityLevelOf(subject)).toBe('BACKWARD');
    expect(registration.v2CompatibleWithV1).toBe(true);
    // The level is really enforced: a required new field is refused.
    expect(registration.brokenCompatibleWithV1).toBe(false);
    expect(registration.v2Id).not.toBe(registration.v1Id);
    expect(await versionsOf(subject)).toHaveLength(2);
    expect(unframe(wire.writtenByV1, topic).schemaId).toBe(registration.v1Id);
    expect(unframe(wire.writtenByV2, topic).schemaId).toBe(registration.v2Id);
  });

  it('old reader, new writer: the worker built on v1 gets a v1 instance of a v2 record, without the new field', async () => {
    const read = await readBy(readByV1Worker, 'v2');

    expect(read).toBeInstanceOf(UploadSubtaskResult);
    expect(read).toEqual(v1.command(v1Fields('v2')));
    expect(Object.keys(read).sort()).toEqual(V1_FIELD_NAMES);
    expect(read).not.toHaveProperty('priority');
    // The same record, read by a worker already on v2, still has it.
    expect(await readBy(readByV2Worker, 'v2')).toMatchObject({ priority: 7 });
  });

  it('new reader, old writer: the worker built on v2 reads a v1 record with the default, null', async () => {
    const read = await readBy(readByV2Worker, 'v1');

    expect(read).toBeInstanceOf(V2);
    expect(read).toEqual(new V2({ ...v1Fields('v1'), priority: null }));
    expect(read).toHaveProperty('priority', null);
    expect(await readBy(readByV1Worker, 'v1')).toEqual(
      v1.command(v1Fields('v1')),
    );
  });

  it("Confluent's own library reads the same bytes the same way, in both directions", async () => {
    const confluent = new SchemaRegistry(
      { host: REGISTRY_URL },
      { [SchemaType.AVRO]: avroTypeOptions() },
    );
    const consumed = await consume(
      `${run}-confluent`,
      topic,
      (messages) => messages.length >= 2,
    );
    const valueOf = (key: string): Buffer => {
      const message = consumed.find((m) => m.key?.toString() === key);
      return message?.value ?? Buffer.alloc(0);
    };
    const writtenByV1 = valueOf('written-by-v1');
    const writtenByV2 = valueOf('written-by-v2');
    expect(writtenByV1.equals(wire.writtenByV1)).toBe(true);
    expect(writtenByV2.equals(wire.writtenByV2)).toBe(true);

    // With the writer's own schema the v2 bytes do carry the new field.
    expect(await confluent.decode(writtenByV2)).toEqual({
      ...v1Fields('v2'),
      priority: 7,
    });
    const v2ReadAsV1: unknown = await confluent.decode(writtenByV2, {
      [SchemaType.AVRO]: { readerSchema: v1Schema },
    });
    expect(v2ReadAsV1).toEqual(v1Fields('v2'));
    expect(v2ReadAsV1).not.toHaveProperty('priority');
    const v1ReadAsV2: unknown = await confluent.decode(writtenByV1, {
      [SchemaType.AVRO]: { readerSchema: v2Schema },
    });
    expect(v1ReadAsV2).toEqual({ ...v1Fields('v1'), priority: null });
    expect(v1ReadAsV2).toHaveProperty('priority', null);
  });
});
