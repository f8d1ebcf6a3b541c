import {
  ContractValidationError,
  type Contract,
  type ContractClass,
} from '@subtasks/contracts';
import type { Resolver, Type } from 'avsc';
import { MessagingError, describeCause } from '../errors/messaging-error';
import type { SchemaLookup } from '../registry/schema-lookup';

/**
 * Contract instance ↔ Confluent wire format. Encoding validates, then writes with the contract's
 * own schema and registry id; decoding resolves the writer's schema (by the id in the header) to
 * the contract's generated schema, so old and new versions read each other as the level promises.
 */
export class ContractSerde {
  /** Per reader contract, per writer schema id: avsc resolvers are costly to build. */
  private readonly resolvers = new Map<ContractClass, Map<number, Resolver>>();
  /** Ids already looked up: the hot path skips the lookup's promise and its cache key. */
  private readonly schemaIds = new Map<ContractClass, number>();

  constructor(private readonly schemas: SchemaLookup) {}

  async encode(message: Contract): Promise<Buffer> {
    const contract = message.contract;
    try {
      message.validate();
    } catch (error) {
      throw asValidationFailure(error, contract, 'encode');
    }
    const schemaId =
      this.schemaIds.get(contract) ?? (await this.lookUpSchemaId(contract));
    try {
      return encodeFramed(schemaId, contract.schema, message.toAvro());
    } catch (error) {
      throw asValidationFailure(error, contract, 'encode', schemaId);
    }
  }

  /** Decodes a wire-format value read from `topic` (the contract's own topic by default). */
  async decode<T extends Contract>(
    contract: ContractClass<T>,
    value: unknown,
    topic: string = contract.topic,
  ): Promise<T> {
    const { schemaId, body } = unframe(value, topic);
    const resolver =
      this.resolvers.get(contract)?.get(schemaId) ??
      this.resolverFor(
        contract,
        schemaId,
        await this.schemas.writerTypeOf(schemaId, topic),
        topic,
      );
    let record: unknown;
    try {
      record = contract.schema.fromBuffer(body, resolver);
    } catch (error) {
      throw new MessagingError(
        'BODY_DECODE_FAILED',
        `Avro body of a message on topic ${topic} (schema id ${schemaId}) could not be decoded as ${contract.messageName}: ${describeCause(error)}`,
        { topic, schemaId, cause: error },
      );
    }
    try {
      return contract.fromAvro(record);
    } catch (error) {
      throw asValidationFailure(error, contract, 'decode', schemaId, topic);
    }
  }

  private async lookUpSchemaId(contract: ContractClass): Promise<number> {
    const schemaId = await this.schemas.schemaIdOf(contract);
    this.schemaIds.set(contract, schemaId);
    return schemaId;
  }

  private resolverFor(
    contract: ContractClass,
    schemaId: number,
    writerType: Type,
    topic: string,
  ): Resolver {
    let byId = this.resolvers.get(contract);
    if (byId === undefined) {
      byId = new Map();
      this.resolvers.set(contract, byId);
    }
    const cached = byId.get(schemaId);
    if (cached !== undefined) {
      return cached;
    }
    let resolver: Resolver;
    try {
      resolver = contract.schema.createResolver(writerType);
    } catch (error) {
      throw new MessagingError(
        'SCHEMA_MISMATCH',
        `Writer schema id ${schemaId} (${String(writerType.name)}, message on topic ${topic}) cannot be read as ${contract.messageName}: ${describeCause(error)}`,
        { topic, schemaId, cause: error },
      );
    }
    byId.set(schemaId, resolver);
    return resolver;
  }
}

function asValidationFailure(
  error: unknown,
  contract: ContractClass,
  direction: 'encode' | 'decode',
  schemaId?: number,
  topic: string = contract.topic,
): unknown {
  if (!(error instanceof ContractValidationError) && direction === 'decode') {
    return error;
  }
  const fields: readonly string[] =
    error instanceof ContractValidationError ? error.paths : [];
  const where =
    direction === 'encode'
      ? `Cannot encode ${contract.messageName} for topic ${topic}`
      : `Message on topic ${topic} (schema id ${String(schemaId)}) is not a valid ${contract.messageName}`;
  return new MessagingError(
    'VALIDATION_FAILED',
    `${where}: ${describeCause(error)}`,
    { topic, schemaId, fields, cause: error },
  );
}

/** Confluent wire format: byte 0, then the schema id as a 4-byte big-endian int, then the Avro body. */
export const MAGIC_BYTE = 0;
export const WIRE_HEADER_LENGTH = 5;

const MAX_SCHEMA_ID = 0x7fffffff;
const SHOWN_PREFIX_BYTES = 8;

/** A value split into its schema id and Avro body. */
export interface FramedValue {
  readonly schemaId: number;
  readonly body: Buffer;
}

const INITIAL_SCRATCH_BYTES = 4096;

/**
 * Encodes into one reused buffer, then copies out a value of the exact size: avsc's `toBuffer`
 * allocates a zero-filled buffer per call and `Buffer.concat` a second one, which cost more than
 * the encoding itself. Safe to share because encoding is synchronous.
 */
let scratch = Buffer.allocUnsafe(INITIAL_SCRATCH_BYTES);

/** Prepends the wire header to an Avro body. */
export function frame(schemaId: number, body: Buffer): Buffer {
  const value = Buffer.allocUnsafe(WIRE_HEADER_LENGTH + body.length);
  writeHeader(value, schemaId);
  body.copy(value, WIRE_HEADER_LENGTH);
  return value;
}

/** Encodes `record` with `type` straight into a framed value (header + Avro body). */
export function encodeFramed(
  schemaId: number,
  type: Type,
  record: unknown,
): Buffer {
  let end = type.encode(record, scratch, WIRE_HEADER_LENGTH);
  if (end < 0) {
    // avsc returns minus the missing byte count when the buffer is too small.
    scratch = Buffer.allocUnsafe(
      Math.max(scratch.length * 2, scratch.length - end),
    );
    end = type.encode(record, scratch, WIRE_HEADER_LENGTH);
  }
  const value = Buffer.allocUnsafe(end);
  scratch.copy(value, 0, 0, end);
  writeHeader(value, schemaId);
  return value;
}

function writeHeader(value: Buffer, schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > MAX_SCHEMA_ID) {
    throw new RangeError(
      `Schema id must be an integer between 0 and ${MAX_SCHEMA_ID}, got ${schemaId}`,
    );
  }
  value.writeUInt8(MAGIC_BYTE, 0);
  // Signed, like Confluent's Java serializer (ByteBuffer.putInt).
  value.writeInt32BE(schemaId, 1);
}

/** Reads the wire header; throws NO_MAGIC_BYTE naming the topic and what was found instead. */
export function unframe(value: unknown, topic: string): FramedValue {
  if (!Buffer.isBuffer(value)) {
    throw noMagicByte(topic, describeNonBuffer(value));
  }
  if (value.length < WIRE_HEADER_LENGTH) {
    throw noMagicByte(
      topic,
      value.length === 0
        ? 'an empty value'
        : `only ${value.length} byte(s) (${value.toString('hex')})`,
    );
  }
  if (value.readUInt8(0) !== MAGIC_BYTE) {
    throw noMagicByte(
      topic,
      `first byte 0x${value.subarray(0, 1).toString('hex')} (value starts ${value
        .subarray(0, SHOWN_PREFIX_BYTES)
        .toString('hex')})`,
    );
  }
  return {
    schemaId: value.readInt32BE(1),
    body: value.subarray(WIRE_HEADER_LENGTH),
  };
}

function noMagicByte(topic: string, found: string): MessagingError {
  return new MessagingError(
    'NO_MAGIC_BYTE',
    `Message on topic ${topic} is not in Confluent wire format (magic byte 0 + 4-byte schema id + Avro body): got ${found}`,
    { topic },
  );
}

function describeNonBuffer(value: unknown): string {
  if (value === null || value === undefined) {
    return `a ${String(value)} value`;
  }
  if (typeof value === 'string') {
    return `a text value of ${value.length} character(s)`;
  }
  return `a value of type ${typeof value}`;
}
