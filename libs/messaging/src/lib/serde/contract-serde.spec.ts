import {
  UploadSubtaskResult,
  UploadSubtaskResultReply,
  type ContractClass,
} from '@subtasks/contracts';
import { Type } from 'avsc';
import { MessagingError } from '../errors/messaging-error';
import { InMemorySchemaLookup } from '../../testing/in-memory-schema-lookup';
import { ContractSerde } from './contract-serde';

const COMMAND_ID = 7;
const REPLY_ID = 8;

function command(
  overrides: Partial<ConstructorParameters<typeof UploadSubtaskResult>[0]> = {},
): UploadSubtaskResult {
  return new UploadSubtaskResult({
    subtaskId: 'subtask-1',
    isWorkerComplete: true,
    requestId: 'req-1',
    requestedAt: new Date(1000),
    ...overrides,
  });
}

/** The command schema as an older producer wrote it: no isWorkerComplete (its default is false). */
const COMMAND_WITHOUT_FLAG = {
  type: 'record',
  name: 'UploadSubtaskResult',
  namespace: 'com.labelling.subtasks.v1',
  fields: [
    { name: 'subtaskId', type: 'string' },
    { name: 'requestId', type: 'string' },
    {
      name: 'requestedAt',
      type: { type: 'long', logicalType: 'timestamp-millis' },
    },
  ],
};

function registry(): InMemorySchemaLookup {
  return new InMemorySchemaLookup()
    .add(
      COMMAND_ID,
      UploadSubtaskResult.schemaJson,
      UploadSubtaskResult.subject,
    )
    .add(
      REPLY_ID,
      UploadSubtaskResultReply.schemaJson,
      UploadSubtaskResultReply.subject,
    )
    .add(21, COMMAND_WITHOUT_FLAG)
    .add(22, {
      type: 'record',
      name: 'Other',
      fields: [{ name: 'x', type: 'int' }],
    });
}

async function decodeFailure(
  serde: ContractSerde,
  value: Buffer,
): Promise<MessagingError> {
  try {
    await serde.decode(UploadSubtaskResult, value);
  } catch (error) {
    if (error instanceof MessagingError) {
      return error;
    }
    throw error;
  }
  throw new Error('decode succeeded');
}

describe('ContractSerde', () => {
  // Hand-checked: header 00 + id 7; "subtask-1" (zigzag length 18 = 0x12); true = 01;
  // "req-1" (length 5 → 0x0a); 1000 ms → zigzag 2000 → varint d0 0f.
  const GOLDEN =
    '0000000007' +
    '12' +
    '7375627461736b2d31' +
    '01' +
    '0a' +
    '7265712d31' +
    'd00f';

  // The same record written with schema 21 (0x15), which has no isWorkerComplete.
  const OLDER_WRITER_HEX =
    '0000000015' + '12' + '7375627461736b2d31' + '0a' + '7265712d31' + 'd00f';

  it('encodes a known record with a known id to the golden bytes', async () => {
    const bytes = await new ContractSerde(registry()).encode(command());

    expect(bytes.toString('hex')).toBe(GOLDEN);
  });

  it('decodes the golden bytes to an equal instance of the class', async () => {
    const decoded = await new ContractSerde(registry()).decode(
      UploadSubtaskResult,
      Buffer.from(GOLDEN, 'hex'),
    );

    expect(decoded).toBeInstanceOf(UploadSubtaskResult);
    expect(decoded).toEqual(command());
    expect(decoded.requestedAt).toEqual(new Date(1000));
  });

  it('resolves an older writer schema to the generated reader schema (defaults filled in)', async () => {
    const serde = new ContractSerde(registry());
    const old = await serde.decode(
      UploadSubtaskResult,
      Buffer.from(OLDER_WRITER_HEX, 'hex'),
    );

    expect(old).toEqual(command({ isWorkerComplete: false }));
  });

  it('builds one resolver per writer id and reader class, and reuses it', async () => {
    // avsc types are frozen, so count on a reader that inherits from the generated schema.
    const built: string[] = [];
    const reader: Type = Object.create(UploadSubtaskResult.schema, {
      createResolver: {
        value(this: Type, writer: Type) {
          built.push(String(writer.name));
          return Type.prototype.createResolver.call(this, writer);
        },
      },
    });
    const CountingCommand: ContractClass<UploadSubtaskResult> = {
      ...contractStatics(UploadSubtaskResult),
      schema: reader,
    };
    const serde = new ContractSerde(registry());
    const golden = Buffer.from(GOLDEN, 'hex');
    const older = Buffer.from(OLDER_WRITER_HEX, 'hex');

    for (let i = 0; i < 3; i += 1) {
      expect(await serde.decode(CountingCommand, golden)).toEqual(command());
    }
    expect(built).toHaveLength(1);
    await serde.decode(CountingCommand, older);
    await serde.decode(CountingCommand, older);
    expect(built).toHaveLength(2);
    await serde.decode(UploadSubtaskResult, golden);
    expect(built).toHaveLength(2);
  });

  it('asks the lookup once per contract and once per writer id, then serves from memory', async () => {
    const lookup = registry();
    const asked: string[] = [];
    const schemaIdOf = lookup.schemaIdOf.bind(lookup);
    lookup.schemaIdOf = async (contract) => {
      asked.push(contract.subject);
      return schemaIdOf(contract);
    };
    const serde = new ContractSerde(lookup);

    for (let i = 0; i < 3; i += 1) {
      const bytes = await serde.encode(command({ requestId: `req-${i}` }));
      expect((await serde.decode(UploadSubtaskResult, bytes)).requestId).toBe(
        `req-${i}`,
      );
    }

    expect(asked).toEqual([UploadSubtaskResult.subject]);
    expect(lookup.writerTypeCalls).toEqual([COMMAND_ID]);
  });

  it('asks again after a failed id lookup instead of remembering the failure', async () => {
    const lookup = new InMemorySchemaLookup();
    const serde = new ContractSerde(lookup);

    await expect(serde.encode(command())).rejects.toMatchObject({
      code: 'SCHEMA_NOT_REGISTERED',
    });
    lookup.add(
      COMMAND_ID,
      UploadSubtaskResult.schemaJson,
      UploadSubtaskResult.subject,
    );

    expect((await serde.encode(command())).toString('hex')).toBe(GOLDEN);
  });

  it('reports an unknown schema id as UNKNOWN_SCHEMA_ID', async () => {
    const error = await decodeFailure(
      new ContractSerde(registry()),
      Buffer.from('00000003e7' + '00', 'hex'),
    );

    expect(error.code).toBe('UNKNOWN_SCHEMA_ID');
    expect(error.schemaId).toBe(999);
  });

  it('reports a writer schema that cannot be resolved as SCHEMA_MISMATCH, naming id and topic', async () => {
    const error = await decodeFailure(
      new ContractSerde(registry()),
      Buffer.from('0000000016' + '02', 'hex'),
    );

    expect(error.code).toBe('SCHEMA_MISMATCH');
    expect(error.schemaId).toBe(22);
    expect(error.message).toContain('schema id 22');
    expect(error.message).toContain('UPLOAD_SUBTASK_RESULT');
  });

  it.each([
    ['a truncated body', GOLDEN.slice(0, -4)],
    ['trailing bytes', `${GOLDEN}00`],
    ['garbage', '0000000007' + 'ffffffffffffffffff01'],
    ['no body at all', '0000000007'],
  ])('reports %s as BODY_DECODE_FAILED', async (_case, hex) => {
    const error = await decodeFailure(
      new ContractSerde(registry()),
      Buffer.from(hex, 'hex'),
    );

    expect(error.code).toBe('BODY_DECODE_FAILED');
    expect(error.schemaId).toBe(COMMAND_ID);
    expect(error.message).toContain('UPLOAD_SUBTASK_RESULT');
  });

  it('reports a decoded record that fails validation as VALIDATION_FAILED, naming the field', async () => {
    // 9e15 ms is past the largest Date (8.64e15): Avro reads the long, the contract refuses it.
    const tooLate = UploadSubtaskResult.schema.toBuffer({
      ...command().toAvro(),
      requestedAt: new Date(0),
    });
    const millisOffset = tooLate.length - 1;
    const body = Buffer.concat([
      tooLate.subarray(0, millisOffset),
      zigzagVarint(9e15),
    ]);
    const error = await decodeFailure(
      new ContractSerde(registry()),
      Buffer.concat([Buffer.from('0000000007', 'hex'), body]),
    );

    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields).toEqual(['requestedAt']);
    expect(error.message).toContain('requestedAt');
    expect(error.message).toContain('schema id 7');
  });

  it('refuses to encode an invalid instance with VALIDATION_FAILED naming the field', async () => {
    const invalid = command({ requestId: 42 as unknown as string });

    await expect(
      new ContractSerde(registry()).encode(invalid),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: ['requestId'],
      topic: 'UPLOAD_SUBTASK_RESULT',
    });
  });

  it('passes a missing registration through as the lookup reported it', async () => {
    const serde = new ContractSerde(new InMemorySchemaLookup());

    await expect(serde.encode(command())).rejects.toMatchObject({
      code: 'SCHEMA_NOT_REGISTERED',
    });
  });
});

function contractStatics(
  contract: ContractClass<UploadSubtaskResult>,
): ContractClass<UploadSubtaskResult> {
  return {
    messageName: contract.messageName,
    topic: contract.topic,
    subject: contract.subject,
    role: contract.role,
    compatibility: contract.compatibility,
    schema: contract.schema,
    schemaJson: contract.schemaJson,
    fromAvro: (value) => contract.fromAvro(value),
  };
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
