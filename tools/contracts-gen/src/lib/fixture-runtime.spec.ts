import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readAllTypesFixture, TEST_FORMAT } from '../fixtures/fixture-sources';
import { generateContracts } from './generate';

const workspaceRoot = resolve(__dirname, '../../../..');

interface Constructed {
  readonly kafkaKey: string | null;
  validate(): void;
  toAvro(): object;
}
interface GeneratedClass {
  readonly keyField?: string;
  readonly schemaJson: string;
  readonly schema: {
    toBuffer(value: object): Buffer;
    fromBuffer(buffer: Buffer): unknown;
  };
  new (init: Record<string, unknown>): Constructed & Record<string, unknown>;
  fromAvro(value: unknown): Constructed & Record<string, unknown>;
}

/**
 * Generates the all-types fixture into a temporary folder and loads it through Jest, so ts-jest
 * type-checks the generated code (against the real contracts runtime) and the test runs it.
 */
describe('generated code for the all-types fixture', () => {
  let dir: string;
  let generated: Record<string, unknown>;
  let sources: Awaited<ReturnType<typeof readAllTypesFixture>>;

  beforeAll(async () => {
    sources = await readAllTypesFixture();
    dir = await mkdtemp(join(tmpdir(), 'contracts-gen-'));
    // Lets the generated files resolve avsc like code inside the workspace does.
    await symlink(
      join(workspaceRoot, 'node_modules'),
      join(dir, 'node_modules'),
      'dir',
    );
    const files = await generateContracts(sources, {
      format: TEST_FORMAT,
      runtimeModule: join(workspaceRoot, 'libs/contracts/src/lib'),
    });
    for (const file of files) {
      await writeFile(join(dir, file.path), file.content);
    }
    generated = (await import(join(dir, 'index.ts'))) as Record<
      string,
      unknown
    >;
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const classNamed = (name: string): GeneratedClass =>
    generated[name] as GeneratedClass;

  const kitchenSinkInit = (): Record<string, unknown> => ({
    count: 7,
    ratio: 0.5,
    precise: 1.25,
    createdAt: new Date(1_700_000_000_123),
    birthday: 19_000,
    traceId: '0b9a3e1c-6f53-4d53-8a7e-2b8e9d1f2a10',
    checksum: Buffer.alloc(16, 1),
    backupChecksum: Buffer.alloc(16, 2),
    address: {
      street: 'Main St',
      postcode: null,
      location: { lat: 1.5, lon: -2 },
    },
    maybeTags: ['a', null],
    category: { name: 'child', parent: { name: 'root', parent: null } },
    palette: { warm: ['RED'], cold: ['BLUE', 'GREEN'] },
    empty: {},
    anything: 42,
  });

  it('fills schema defaults and nulls for the fields left out', () => {
    const sink = new (classNamed('KitchenSink'))(kitchenSinkInit());

    expect(sink).toMatchObject({
      nothing: null,
      flag: true,
      total: 0,
      payload: Buffer.from([0xff]),
      label: 'none',
      expiresAt: new Date(0),
      colour: 'RED',
      secondaryColour: null,
      tags: [],
      scores: {},
      previousAddresses: [],
      nickname: null,
      note: 'n/a',
      seenAt: null,
    });
  });

  it('keeps an explicit null where the schema default is not null', () => {
    const sink = new (classNamed('KitchenSink'))({
      ...kitchenSinkInit(),
      note: null,
    });

    expect(sink['note']).toBeNull();
  });

  it('round-trips every supported type through the Avro binary encoding', () => {
    const KitchenSink = classNamed('KitchenSink');
    const sink = new KitchenSink({
      ...kitchenSinkInit(),
      anything: {
        street: 'Side St',
        postcode: 'AB1',
        location: { lat: 0, lon: 0 },
      },
      seenAt: new Date(5),
      secondaryColour: 'BLUE',
    });
    sink.validate();

    const decoded = KitchenSink.fromAvro(
      KitchenSink.schema.fromBuffer(KitchenSink.schema.toBuffer(sink.toAvro())),
    );

    expect(decoded.toAvro()).toEqual(sink.toAvro());
    expect(decoded['createdAt']).toEqual(new Date(1_700_000_000_123));
    expect(decoded['seenAt']).toEqual(new Date(5));
  });

  it('rejects a fixed of the wrong size, naming the field', () => {
    const sink = new (classNamed('KitchenSink'))({
      ...kitchenSinkInit(),
      checksum: Buffer.alloc(3),
    });

    expect(() => sink.validate()).toThrow(
      /checksum: expected fixed .*Md5 \(Buffer of 16 bytes\)/,
    );
  });

  it('names nested paths of bad values', () => {
    const sink = new (classNamed('KitchenSink'))({
      ...kitchenSinkInit(),
      address: {
        street: 'Main St',
        postcode: 5,
        location: { lat: 'north', lon: 0 },
      },
    });

    expect(() => sink.validate()).toThrow(
      /address\.postcode: .*address\.location\.lat: expected double/,
    );
  });

  it('exposes the registered schema text and the catalogue constants', () => {
    const definition = JSON.parse(
      sources.schemas.get('kitchen-sink.avsc') ?? '',
    ) as unknown;

    expect(classNamed('KitchenSink').schemaJson).toBe(
      JSON.stringify(definition),
    );
    expect(generated['KAFKA_IDS']).toEqual({
      clientId: 'fixture',
      workerGroupId: 'fixture-worker',
    });
    expect(generated['ALL_TOPICS']).toEqual([
      'KITCHEN_SINK',
      'START_JOB',
      'START_JOB.dlq',
      'START_JOB.reply',
    ]);
    expect(generated['PRIORITY_SYMBOLS']).toEqual(['LOW', 'HIGH']);
    expect(generated['COLOUR_DEFAULT']).toBe('GREEN');
  });

  it('links a command to its reply class and dead-letter topic', () => {
    const StartJob = generated['StartJob'] as {
      reply: unknown;
      deadLetterTopic: string;
      compatibility: string;
    };

    expect(StartJob.reply).toBe(generated['StartJobReply']);
    expect(StartJob.deadLetterTopic).toBe('START_JOB.dlq');
    expect(StartJob.compatibility).toBe('BACKWARD');
  });

  it('keys a message by the catalogue key field, and only when one is declared', () => {
    const StartJob = classNamed('StartJob');
    const StartJobReply = classNamed('StartJobReply');
    const KitchenSink = classNamed('KitchenSink');
    const job = new StartJob({ jobId: 'job-7', requestedAt: new Date(0) });

    expect(StartJob.keyField).toBe('jobId');
    expect(job.kafkaKey).toBe('job-7');
    expect(StartJob.fromAvro(job.toAvro()).kafkaKey).toBe('job-7');

    expect('keyField' in StartJobReply).toBe(false);
    expect(
      new StartJobReply({ jobId: 'job-7', accepted: true }).kafkaKey,
    ).toBeNull();

    expect(KitchenSink.keyField).toBe('nickname');
    expect(new KitchenSink(kitchenSinkInit()).kafkaKey).toBeNull();
    expect(
      new KitchenSink({ ...kitchenSinkInit(), nickname: 'Nick' }).kafkaKey,
    ).toBe('Nick');
  });

  it('keeps kafkaKey off the record: it is neither an own property nor encoded', () => {
    const job = new (classNamed('StartJob'))({
      jobId: 'job-7',
      requestedAt: new Date(0),
    });

    expect(Object.keys(job)).not.toContain('kafkaKey');
    expect(Object.keys(job.toAvro())).not.toContain('kafkaKey');
  });
});
