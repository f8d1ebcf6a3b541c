import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
  type ContractClass,
} from '@subtasks/contracts';
import { ContractCatalogue } from '../lib/kafka/contract-catalogue';
import {
  ContractRequestDeserializer,
  ContractSerializer,
} from '../lib/kafka/contract-codecs';
import { ensureTopics } from '../lib/kafka/ensure-topics';
import { ContractRegistry } from '../lib/registry/contract-registry';
import { ContractSerde, unframe } from '../lib/serde/contract-serde';
import {
  KAFKA,
  ONE_PARTITION_TOPICS,
  REGISTRY,
  REGISTRY_URL,
  consume,
  deleteTopics,
  produce,
  runId,
} from '../testing/local-stack';
import { retargetedContracts } from '../testing/retargeted-contracts';

/**
 * Our bytes against a plain kafkajs client + @kafkajs/confluent-schema-registry (a "foreign"
 * Confluent client), both ways, on the real broker and registry.
 */
describe('Confluent wire format against the real broker and registry', () => {
  const run = runId();
  const contracts = retargetedContracts(run);
  const registry = new ContractRegistry({
    connection: REGISTRY,
    mode: 'register',
  });
  const serde = new ContractSerde(registry);
  /** The library as any other Confluent client uses it: no logical types of ours. */
  const foreign = new SchemaRegistry({ host: REGISTRY_URL });

  const command = new UploadSubtaskResult({
    subtaskId: `subtask-${run}`,
    isWorkerComplete: true,
    requestId: `req-${run}`,
    requestedAt: new Date('2024-05-06T07:08:09.010Z'),
  });

  beforeAll(() => ensureTopics(KAFKA, contracts.topics, ONE_PARTITION_TOPICS));
  afterAll(() => deleteTopics(contracts.topics));

  async function idServedFor(contract: ContractClass): Promise<number> {
    return foreign.getRegistryIdBySchema(contract.subject, {
      type: SchemaType.AVRO,
      schema: contract.schemaJson,
    });
  }

  it('(d) registering a schema twice keeps its id, and verify mode finds that id', async () => {
    const first = await new ContractRegistry({
      connection: REGISTRY,
      mode: 'register',
    }).register(UploadSubtaskResult);
    const second = await new ContractRegistry({
      connection: REGISTRY,
      mode: 'register',
    }).register(UploadSubtaskResult);
    const verified = await new ContractRegistry({
      connection: REGISTRY,
      mode: 'verify',
    }).schemaIdOf(UploadSubtaskResult);

    expect(second.id).toBe(first.id);
    expect(verified).toBe(first.id);
    expect(await idServedFor(UploadSubtaskResult)).toBe(first.id);
    const level = (await (
      await fetch(`${REGISTRY_URL}/config/${UploadSubtaskResult.subject}`)
    ).json()) as { compatibilityLevel: string };
    expect(level.compatibilityLevel).toBe(UploadSubtaskResult.compatibility);
  });

  it('(a) a record our serializer writes is read by plain kafkajs + the library, with the id the registry serves', async () => {
    const message = await new ContractSerializer(serde).serialize(command, {
      pattern: UploadSubtaskResult.topic,
    });
    await produce(`${run}-a`, contracts.Command.topic, [message]);

    const [consumed] = await consume(
      `${run}-a`,
      contracts.Command.topic,
      (messages) => messages.length > 0,
    );
    const value = consumed.value ?? Buffer.alloc(0);
    const decoded: unknown = await foreign.decode(value);

    expect(consumed.key?.toString()).toBe(command.subtaskId);
    expect(unframe(value, contracts.Command.topic).schemaId).toBe(
      await idServedFor(UploadSubtaskResult),
    );
    expect(decoded).toEqual({
      subtaskId: command.subtaskId,
      isWorkerComplete: true,
      requestId: command.requestId,
      requestedAt: command.requestedAt.getTime(),
    });
  });

  it('(b) a record plain kafkajs + the library encode is read by our deserializer', async () => {
    const id = await idServedFor(UploadSubtaskResult);
    const value = await foreign.encode(id, {
      subtaskId: command.subtaskId,
      isWorkerComplete: false,
      requestId: command.requestId,
      requestedAt: command.requestedAt.getTime(),
    });
    await produce(`${run}-b`, contracts.Event.topic, [
      { key: command.subtaskId, value },
    ]);
    const [consumed] = await consume(
      `${run}-b`,
      contracts.Event.topic,
      (messages) => messages.length > 0,
    );
    // The retargeted command class, bound to this test's own topic.
    const deserializer = new ContractRequestDeserializer(
      serde,
      new ContractCatalogue([
        { ...contracts.Command, topic: contracts.Event.topic },
      ]),
    );

    const packet = await deserializer.deserialize(
      { ...consumed, topic: contracts.Event.topic, partition: 0 },
      { channel: contracts.Event.topic },
    );

    expect(packet.data).toBeInstanceOf(UploadSubtaskResult);
    expect(packet.data).toEqual(
      new UploadSubtaskResult({ ...command, isWorkerComplete: false }),
    );
  });

  it('reads a record written with a newer schema version (an added field) as the generated class', async () => {
    const newer = JSON.parse(SubtaskResultUploaded.schemaJson) as {
      fields: object[];
    };
    newer.fields.push({
      name: 'workerId',
      type: ['null', 'string'],
      default: null,
    });
    const subject = 'messaging-int-test.evolution-value';
    await registry.setCompatibility(subject, 'BACKWARD');
    const { id } = await foreign.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(newer) },
      { subject },
    );
    const value = await foreign.encode(id, {
      requestId: 'r',
      subtaskId: 's',
      outcome: 'STORED',
      resultVersion: 4,
      reason: null,
      isWorkerComplete: true,
      uploadedAt: 1_700_000_000_000,
      workerId: 'worker-7',
    });

    const event = await serde.decode(SubtaskResultUploaded, value);

    expect(event).toBeInstanceOf(SubtaskResultUploaded);
    expect(event).toEqual(
      new SubtaskResultUploaded({
        requestId: 'r',
        subtaskId: 's',
        outcome: 'STORED',
        resultVersion: 4,
        reason: null,
        isWorkerComplete: true,
        uploadedAt: new Date(1_700_000_000_000),
      }),
    );
  });

  it('fetches writer schemas from the real registry: an unknown id is UNKNOWN_SCHEMA_ID', async () => {
    await expect(
      registry.writerTypeOf(2_000_000_000, contracts.Event.topic),
    ).rejects.toMatchObject({
      code: 'UNKNOWN_SCHEMA_ID',
      schemaId: 2_000_000_000,
    });
  });
});
