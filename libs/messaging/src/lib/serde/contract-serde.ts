import {
  ContractValidationError,
  type Contract,
  type ContractClass,
} from '@subtasks/contracts';
import type { Resolver, Type } from 'avsc';
import { MessagingError, describeCause } from '../errors/messaging-error';
import type { SchemaLookup } from '../registry/schema-lookup';
import { encodeFramed, unframe } from '../wire/confluent-wire-format';

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
